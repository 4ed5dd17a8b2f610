/**
 * `update <ns>/nodestatus/<node>`: registers the Node on first contact (edge role, hostname, arch and os labels),
 * writes its status through the status subresource and renews its Lease so a real cluster's node-lifecycle
 * controller keeps it Ready while it reports.
 *
 * @module
 */
import type { V1Node, V1NodeStatus } from "@kubernetes/client-node";
import { EDGE_ROLE_LABEL } from "../caches.ts";
import { ForbiddenError, type UpstreamDeps, type UpstreamHandler } from "./types.ts";

/** What edged sends (KubeEdge's capitalised keys). */
export type NodeStatusReport = { UID?: string; Status?: V1NodeStatus; ExtendResources?: unknown; Labels?: Record<string, string> };

function labelsFor(node: string, report: NodeStatusReport): Record<string, string> {
  const info = report.Status?.nodeInfo;
  return {
    ...report.Labels,
    [EDGE_ROLE_LABEL]: "",
    "kubernetes.io/hostname": node,
    ...(info?.architecture ? { "kubernetes.io/arch": info.architecture } : {}),
    ...(info?.operatingSystem ? { "kubernetes.io/os": info.operatingSystem } : {}),
  };
}

/** Makes the nodestatus handler; it remembers which nodes it has registered so a heartbeat costs no extra GET. */
export function nodeStatusHandler(deps: UpstreamDeps): UpstreamHandler {
  const registered = new Set<string>();
  const ensureNode = async (node: string, report: NodeStatusReport) => {
    if (registered.has(node)) return;
    const cached = deps.caches.nodes.get(node);
    const existing = cached ?? (await deps.api.getNode(node));
    const labels = labelsFor(node, report);
    if (!existing) {
      const body: V1Node = { apiVersion: "v1", kind: "Node", metadata: { name: node, labels }, spec: {} };
      await deps.api.createNode(body);
      deps.log.info("node registered", { node });
    } else {
      const have = existing.metadata?.labels ?? {};
      if (Object.entries(labels).some(([k, v]) => have[k] !== v)) await deps.api.patchNode(node, { metadata: { labels } });
    }
    registered.add(node);
  };
  return async (msg, node, resource) => {
    if (resource.name && resource.name !== node) throw new ForbiddenError(`node "${node}" may not update the status of node "${resource.name}"`);
    const report = msg.content as NodeStatusReport;
    if (!report || typeof report !== "object" || !report.Status) throw new TypeError(`Cannot update node "${node}": nodestatus has no Status`);
    await ensureNode(node, report);
    try {
      await deps.api.patchNodeStatus(node, { status: report.Status });
    } catch (e) {
      registered.delete(node); // the Node may have been deleted by a user: register it again next time
      throw e;
    }
    await deps.api.renewLease(node, deps.leaseDurationSeconds);
  };
}
