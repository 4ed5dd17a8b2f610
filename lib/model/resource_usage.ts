/**
 * The resource usage report a node sends to the cloud for `kubectl top`: the node's CPU and memory and each running
 * container's, measured by edged every `edged.resourceUsageInterval`. Group `usage`, operation `update`, resource
 * `default/nodemetrics/<node>` (edge form). Like stream frames these are live readings: EdgeHub sends them at once or
 * drops them, never keeps them offline, and CloudHub routes them to module "resourcemetrics", which keeps only the
 * latest per node.
 *
 * CPU is a rate averaged over `windowSeconds` (nanocores: 1e9 is one core busy the whole window); memory is the
 * working set in bytes, the figure the kubelet reports (memory in use minus what the kernel can drop at once).
 *
 * @module
 */
import { newMessage, type Message } from "./message.ts";
import { buildResource } from "./resource_string.ts";

/** Route group of usage reports. */
export const USAGE_GROUP = "usage";
/** The cloud module that keeps the reports. */
export const USAGE_MODULE = "resourcemetrics";
/** Resource type in a usage report's resource string. */
export const USAGE_RESOURCE_TYPE = "nodemetrics";

/** CPU and memory of a node or a container. */
export type Usage = {
  /** Average CPU over the window, in nanocores. */
  cpuNanoCores: number;
  /** Working set, in bytes. */
  memoryBytes: number;
};

/** One container's usage. */
export type ContainerUsage = Usage & { name: string };

/** One pod's containers. */
export type PodUsage = { namespace: string; name: string; uid: string; containers: ContainerUsage[] };

/** The content of a usage report. */
export type UsageReport = {
  /** When the readings were taken (RFC 3339). */
  timestamp: string;
  /** Length of the window CPU was averaged over, in seconds. */
  windowSeconds: number;
  node: Usage;
  pods: PodUsage[];
};

/** Builds the report message edged sends to EdgeHub (edge form: no `node/<name>/` prefix). */
export function usageMessage(source: string, nodeName: string, report: UsageReport): Message {
  return newMessage({ source, group: USAGE_GROUP, operation: "update", resource: buildResource("default", USAGE_RESOURCE_TYPE, nodeName), content: report });
}
