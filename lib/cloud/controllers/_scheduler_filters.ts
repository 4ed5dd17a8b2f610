/**
 * The scheduler's filters, in the order Kubernetes runs its filter plugins: a node that fails one reports that
 * check's reasons only. Reasons use the real scheduler's wording, and {@link unschedulableMessage} sums them the way
 * its FailedScheduling message does.
 *
 * @module
 */
import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { matchesNodeSelection } from "./_node_affinity.ts";
import type { NodeUsage } from "./_node_usage.ts";
import type { PodRequests } from "./_pod_status.ts";
import { conditionsOf, milliValue, parseQuantity } from "../../kube/index.ts";
import { untoleratedTaint } from "./_taints.ts";

/** The taint that marks a cordoned node; pods that tolerate it may still go there. */
const UNSCHEDULABLE_TAINT = { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" } as const;

/** Pods per node when the node reports no capacity. @default 110 (the kubelet's default maxPods) */
const DEFAULT_MAX_PODS = 110;

/** Reasons that more room (preempting other pods) could cure; the others cannot be cured that way. */
const RESOURCE_REASONS = new Set(["Too many pods", "Insufficient cpu", "Insufficient memory"]);

function capacity(node: V1Node, name: "pods" | "cpu" | "memory"): string | undefined {
  return node.status?.allocatable?.[name] ?? node.status?.capacity?.[name];
}

function isReady(node: V1Node): boolean {
  return conditionsOf(node.status).some((c) => c.type === "Ready" && c.status === "True");
}

/**
 * Why the pod cannot go to the node.
 *
 * @returns the reasons of the first failing check; empty when the pod fits
 */
export function filterNode(pod: V1Pod, requests: PodRequests, node: V1Node, usage: NodeUsage): string[] {
  const tolerations = pod.spec?.tolerations;
  if (node.spec?.unschedulable && untoleratedTaint([UNSCHEDULABLE_TAINT], tolerations)) return ["node(s) were unschedulable"];
  const taint = untoleratedTaint(node.spec?.taints, tolerations);
  if (taint) return [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ""}}`];
  if (!isReady(node)) return ["node(s) were not ready"];
  if (!matchesNodeSelection(pod, node)) return ["node(s) didn't match Pod's node affinity/selector"];
  const reasons: string[] = [];
  const maxPods = capacity(node, "pods");
  if (usage.pods + 1 > (maxPods === undefined ? DEFAULT_MAX_PODS : parseQuantity(maxPods))) reasons.push("Too many pods");
  const cpu = capacity(node, "cpu");
  if (requests.cpuMilli > 0 && cpu !== undefined && usage.cpuMilli + requests.cpuMilli > milliValue(cpu)) reasons.push("Insufficient cpu");
  const memory = capacity(node, "memory");
  if (requests.memoryBytes > 0 && memory !== undefined && usage.memoryBytes + requests.memoryBytes > parseQuantity(memory)) reasons.push("Insufficient memory");
  return reasons;
}

function summary(total: number, counts: Map<string, number>): string {
  const parts = [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
  return `0/${total} nodes are available: ${parts.join(", ")}.`;
}

/**
 * The FailedScheduling message for a pod no node accepts, e.g.
 * `0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 node(s) were unschedulable.
 * preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.`
 *
 * @param reasonsByNode the reasons of each node (one entry per node)
 */
export function unschedulableMessage(reasonsByNode: readonly (readonly string[])[]): string {
  const total = reasonsByNode.length;
  if (total === 0) return "no nodes available to schedule pods";
  const counts = new Map<string, number>();
  const preemption = new Map<string, number>();
  for (const reasons of reasonsByNode) {
    for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    // No pod has a priority that lets it evict others, so preemption never finds victims.
    const why = reasons.every((r) => RESOURCE_REASONS.has(r)) ? "No preemption victims found for incoming pod" : "Preemption is not helpful for scheduling";
    preemption.set(why, (preemption.get(why) ?? 0) + 1);
  }
  return `${summary(total, counts)} preemption: ${summary(total, preemption)}`;
}
