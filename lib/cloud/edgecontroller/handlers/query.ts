/**
 * `query <ns>/<configmap|secret|pod|serviceaccounttoken>/<name>`: answers a node's query from the shared caches, but
 * only for objects the node is entitled to: pods bound to it, what they reference and their tokens (node
 * authorization).
 *
 * @module
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import { replyTo } from "../../../model/index.ts";
import { refKey } from "../node_index.ts";
import { ForbiddenError, type UpstreamDeps, type UpstreamHandler } from "./types.ts";

/** Makes the query handler for one resource type. */
export function queryHandler(deps: UpstreamDeps, type: "configmap" | "secret" | "pod" | "serviceaccounttoken"): UpstreamHandler {
  return async (msg, node, resource) => {
    const { namespace, name } = resource;
    let obj: KubernetesObject | undefined;
    if (type === "serviceaccounttoken") {
      const pod = deps.caches.pods.get(name, namespace);
      if (!pod || pod.spec?.nodeName !== node) throw new ForbiddenError(`node "${node}" may not get tokens of pod "${namespace}/${name}": it is not bound to the node`);
      obj = (await deps.tokens.tokensFor(pod)) as unknown as KubernetesObject | undefined;
      if (!obj) throw new Error(`pod "${namespace}/${name}" has no service account token volume`);
    } else if (type === "pod") {
      obj = deps.caches.pods.get(name, namespace);
      if (obj && (obj as { spec?: { nodeName?: string } }).spec?.nodeName !== node) obj = undefined;
      if (!obj) throw new ForbiddenError(`node "${node}" may not read pod "${namespace}/${name}"`);
    } else {
      if (!deps.index.entitled(node, refKey(namespace, type, name))) {
        throw new ForbiddenError(`node "${node}" may not read ${type} "${namespace}/${name}": no pod on the node uses it`);
      }
      obj = (type === "configmap" ? deps.caches.configMaps : deps.caches.secrets).get(name, namespace);
      if (!obj) throw new Error(`${type} "${namespace}/${name}" not found`);
    }
    await deps.reply(replyTo(msg, obj, "edgecontroller"));
  };
}
