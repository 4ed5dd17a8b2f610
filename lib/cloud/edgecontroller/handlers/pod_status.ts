/**
 * `update <ns>/podstatus[/<pod>]`: writes pod status from the edge through the status subresource, for pods bound to
 * the reporting node with the same UID only (a stale report for a recreated pod is dropped).
 *
 * @module
 */
import type { V1PodStatus } from "@kubernetes/client-node";
import type { UpstreamDeps, UpstreamHandler } from "./types.ts";

/** One pod's status as edged reports it (KubeEdge's keys). */
export type PodStatusReport = { UID: string; Name: string; Status: V1PodStatus };

/** Makes the podstatus handler. */
export function podStatusHandler(deps: UpstreamDeps): UpstreamHandler {
  return async (msg, node, resource) => {
    const reports = (Array.isArray(msg.content) ? msg.content : [msg.content]) as PodStatusReport[];
    for (const r of reports) {
      if (!r || typeof r !== "object" || !r.Status) throw new TypeError(`Cannot update pod status from node "${node}": report has no Status`);
      const name = r.Name || resource.name;
      const pod = deps.caches.pods.get(name, resource.namespace);
      if (!pod || pod.spec?.nodeName !== node || (r.UID && pod.metadata?.uid !== r.UID)) {
        deps.log.debug("pod status dropped: pod not bound to this node", { node, pod: `${resource.namespace}/${name}` });
        continue;
      }
      await deps.api.patchPodStatus(resource.namespace, name, { status: r.Status });
    }
  };
}
