/**
 * `update <ns>/podstatus[/<pod>]`: writes pod status from the edge through the status subresource, for pods bound to
 * the reporting node with the same UID only (a stale report for a recreated pod is dropped). Every report of the
 * message is checked against the core/v1 PodStatus shape before any is written.
 *
 * @module
 */
import type { V1PodStatus } from "@kubernetes/client-node";
import { podStatusShape, shape } from "../../../kube/index.ts";
import { InvalidReportError, type UpstreamDeps, type UpstreamHandler } from "./types.ts";

/** One pod's status as edged reports it (KubeEdge's keys). */
export type PodStatusReport = { UID?: string; Name?: string; Status: V1PodStatus };

/** Most pod reports in one message. @default 256 */
const MAX_REPORTS = 256;

const reportShape = shape.obj({ UID: shape.opt(shape.str(128)), Name: shape.opt(shape.str(253)), Status: podStatusShape }, { required: ["Status"], open: true });
const messageShape = shape.arr(reportShape, MAX_REPORTS);

/** Makes the podstatus handler. */
export function podStatusHandler(deps: UpstreamDeps): UpstreamHandler {
  return async (msg, node, resource) => {
    const reports = Array.isArray(msg.content) ? msg.content : [msg.content];
    const problem = messageShape(reports, "podstatus");
    if (problem) throw new InvalidReportError(`Cannot update pod status from node "${node}": ${problem}`);
    for (const r of reports as PodStatusReport[]) {
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
