/**
 * `update <ns>/nodestatus/<node>`: registers the Node on first contact (edge role, hostname, arch and os labels),
 * writes its status through the status subresource and renews its Lease so a real cluster's node-lifecycle
 * controller keeps it Ready while it reports. The report is checked before anything is written: a node writes only
 * its own Node, a status of the core/v1 shape, and only labels NodeRestriction lets a node set (`../node_labels.ts`).
 *
 * @module
 */
import type { V1Node, V1NodeStatus } from "@kubernetes/client-node";
import { nodeStatusShape, shape } from "../../../kube/index.ts";
import { checkNodeLabels, EDGE_NODE_LABELS, isLabelValue } from "../node_labels.ts";
import { ForbiddenError, InvalidReportError, type UpstreamDeps, type UpstreamHandler } from "./types.ts";

/** What edged sends (KubeEdge's capitalised keys). */
export type NodeStatusReport = { UID?: string; Status: V1NodeStatus; ExtendResources?: unknown; Labels?: Record<string, string> };

const reportShape = shape.obj({
  UID: shape.opt(shape.str(128)),
  Status: nodeStatusShape,
  ExtendResources: shape.any,
  Labels: shape.any, // checked label by label below, so the refusal names the label
}, { required: ["Status"], open: true });

/** The labels EdgeController puts on a node: the report's allowed ones, then its own, which win. */
function labelsFor(node: string, status: V1NodeStatus, reported: Record<string, string>): Record<string, string> {
  const info = status.nodeInfo;
  const own: Record<string, string> = { ...EDGE_NODE_LABELS };
  if (isLabelValue(node)) own["kubernetes.io/hostname"] = node;
  if (info?.architecture && isLabelValue(info.architecture)) own["kubernetes.io/arch"] = info.architecture;
  if (info?.operatingSystem && isLabelValue(info.operatingSystem)) own["kubernetes.io/os"] = info.operatingSystem;
  return { ...reported, ...own };
}

/**
 * Checks a nodestatus report from `node`.
 *
 * @returns the report and the labels it may set
 * @throws InvalidReportError when the content does not fit the shape
 * @throws ForbiddenError when it sets a label a node may not set on itself
 */
export function checkNodeStatusReport(node: string, content: unknown): { report: NodeStatusReport; labels: Record<string, string> } {
  const problem = reportShape(content, "nodestatus");
  if (problem) throw new InvalidReportError(`Cannot update node "${node}": ${problem}`);
  const report = content as NodeStatusReport;
  const { allowed, refused } = checkNodeLabels(report.Labels);
  if (refused.length) {
    throw new ForbiddenError(`node "${node}" may not set label ${refused.map((r) => `"${r.key}" (${r.why})`).join(", ")}`);
  }
  return { report, labels: allowed };
}

/** Makes the nodestatus handler; it remembers which nodes it has registered so a heartbeat costs no extra GET. */
export function nodeStatusHandler(deps: UpstreamDeps): UpstreamHandler {
  const registered = new Set<string>();
  const ensureNode = async (node: string, report: NodeStatusReport, reported: Record<string, string>) => {
    if (registered.has(node)) return;
    const cached = deps.caches.nodes.get(node);
    const existing = cached ?? (await deps.api.getNode(node));
    const labels = labelsFor(node, report.Status, reported);
    if (!existing) {
      if (deps.deletedWhileLinked.has(node)) {
        throw new ForbiddenError(`node "${node}" was deleted while linked: it registers again only over a new link`);
      }
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
    const { report, labels } = checkNodeStatusReport(node, msg.content);
    await ensureNode(node, report, labels);
    try {
      await deps.api.patchNodeStatus(node, { status: report.Status });
    } catch (e) {
      registered.delete(node); // the Node may have been deleted by a user: register it again next time
      throw e;
    }
    await deps.api.renewLease(node, deps.leaseDurationSeconds);
  };
}
