/**
 * `delete <ns>/pod/<name>` from a node: the edge confirms the pod's containers are gone, so the API object is removed
 * at once (grace 0, UID precondition) and nothing hangs in Terminating.
 *
 * @module
 */
import { ForbiddenError, InvalidReportError, type UpstreamDeps, type UpstreamHandler } from "./types.ts";

/** Makes the pod deletion handler. */
export function podDeleteHandler(deps: UpstreamDeps): UpstreamHandler {
  return async (msg, node, resource) => {
    const uid: unknown = (msg.content as { UID?: unknown } | null)?.UID;
    if (uid !== undefined && uid !== null && typeof uid !== "string") throw new InvalidReportError(`Cannot confirm deletion of pod "${resource.namespace}/${resource.name}" from node "${node}": UID is not a string`);
    const pod = deps.caches.pods.get(resource.name, resource.namespace);
    if (!pod) return;
    if (pod.spec?.nodeName !== node) throw new ForbiddenError(`node "${node}" may not delete pod "${resource.namespace}/${resource.name}"`);
    const podUid = pod.metadata?.uid ?? "";
    if (uid && uid !== podUid) return;
    await deps.api.deletePod(resource.namespace, resource.name, podUid);
    deps.log.info("pod deletion confirmed by node", { node, pod: `${resource.namespace}/${resource.name}` });
  };
}
