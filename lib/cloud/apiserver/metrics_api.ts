/**
 * `metrics.k8s.io/v1beta1`, the read-only group `kubectl top` reads: NodeMetrics and PodMetrics built from the
 * nodes' usage reports (a {@link ResourceUsageSource}) and the stored Node and Pod objects, which give the labels that
 * selectors match and decide which pods a node may speak for (only pods bound to it, with the same UID).
 * Quantities are written as metrics-server writes them: CPU in nanocores (`"12345n"`), memory in KiB (`"2048Ki"`).
 *
 * @module
 */
import type { KubeObject } from "../../kube/index.ts";
import type { PodUsage, UsageReport } from "../../model/index.ts";
import { builtinMake } from "./builtin_resources.ts";
import { requestFilter } from "./handlers/selectors.ts";
import type { ResourceRoute } from "./route.ts";
import { methodNotAllowed, notFound, StatusError } from "./status_error.ts";
import type { ResourceInfo, ResourceUsageSource } from "./types.ts";

/** The group and its one version. */
export const METRICS_GROUP = "metrics.k8s.io";
const VERSION = "v1beta1";
const API_VERSION = `${METRICS_GROUP}/${VERSION}`;

/** The two resources, as discovery lists them (get and list only). */
export function metricsResources(): ResourceInfo[] {
  const verbs = ["get", "list"];
  return [
    { ...builtinMake(METRICS_GROUP, VERSION, { resource: "nodes", kind: "NodeMetrics", namespaced: false }), verbs },
    { ...builtinMake(METRICS_GROUP, VERSION, { resource: "pods", kind: "PodMetrics" }), verbs },
  ];
}

/** The stored objects the documents are checked against. */
export type MetricsObjects = {
  node(name: string): KubeObject | undefined;
  pod(namespace: string, name: string): KubeObject | undefined;
  /** The info of core nodes and pods, for selectors. */
  nodeInfo: ResourceInfo;
  podInfo: ResourceInfo;
};

const quantities = (u: { cpuNanoCores: number; memoryBytes: number }) => ({ cpu: `${Math.round(u.cpuNanoCores)}n`, memory: `${Math.round(u.memoryBytes / 1024)}Ki` });
const window = (r: UsageReport) => `${Number(r.windowSeconds.toFixed(3))}s`;
const seconds = (iso: string) => iso.replace(/\.\d+Z$/, "Z");

function meta(obj: KubeObject, namespaced: boolean): Record<string, unknown> {
  const m: Record<string, unknown> = { name: obj.metadata?.name, creationTimestamp: seconds(new Date().toISOString()) };
  if (namespaced) m.namespace = obj.metadata?.namespace;
  if (obj.metadata?.labels) m.labels = obj.metadata.labels;
  return m;
}

function nodeMetrics(obj: KubeObject, r: UsageReport): object {
  return { kind: "NodeMetrics", apiVersion: API_VERSION, metadata: meta(obj, false), timestamp: seconds(r.timestamp), window: window(r), usage: quantities(r.node) };
}

function podMetrics(obj: KubeObject, r: UsageReport, p: PodUsage): object {
  return {
    kind: "PodMetrics", apiVersion: API_VERSION, metadata: meta(obj, true), timestamp: seconds(r.timestamp), window: window(r),
    containers: p.containers.map((c) => ({ name: c.name, usage: quantities(c) })),
  };
}

/** The stored pod, when it is the one `node` reported: bound to that node, same UID. */
function ownPod(objects: MetricsObjects, node: string, p: PodUsage): KubeObject | undefined {
  const pod = objects.pod(p.namespace, p.name);
  const spec = pod?.spec as { nodeName?: string } | undefined;
  return pod && spec?.nodeName === node && pod.metadata?.uid === p.uid ? pod : undefined;
}

/**
 * Answers a GET under `/apis/metrics.k8s.io/v1beta1`.
 *
 * @returns the document to send with status 200
 * @throws StatusError 404 for an unknown resource or a name without metrics, 405 for anything but GET, 400 for a bad selector
 */
export function metricsDocument(method: string, route: ResourceRoute, params: URLSearchParams, source: ResourceUsageSource, objects: MetricsObjects): object {
  const what = route.resource;
  if (route.version !== VERSION || (what !== "nodes" && what !== "pods") || route.subresource || (what === "nodes" && route.namespace !== undefined)) {
    throw new StatusError(404, "NotFound", "the server could not find the requested resource", {});
  }
  if (method !== "GET") throw methodNotAllowed(method, what);
  if (route.watchPath || params.get("watch") === "true" || params.get("watch") === "1") throw methodNotAllowed("WATCH", what);
  const target = { group: METRICS_GROUP, resource: what };
  if (what === "nodes") {
    if (route.name !== undefined) {
      const obj = objects.node(route.name);
      const r = source.report(route.name);
      if (!obj || !r) throw notFound(target, route.name);
      return nodeMetrics(obj, r);
    }
    const selected = requestFilter(objects.nodeInfo, "", params);
    const items: object[] = [];
    for (const { node, report } of source.reports()) {
      const obj = objects.node(node);
      if (obj && selected(obj)) items.push(nodeMetrics(obj, report));
    }
    return { kind: "NodeMetricsList", apiVersion: API_VERSION, metadata: {}, items };
  }
  const namespace = route.namespace ?? "";
  if (route.name !== undefined) {
    const stored = objects.pod(namespace, route.name);
    const node = (stored?.spec as { nodeName?: string } | undefined)?.nodeName;
    const r = node ? source.report(node) : undefined;
    const p = r?.pods.find((x) => x.namespace === namespace && x.name === route.name);
    const obj = p && ownPod(objects, node!, p);
    if (!obj) throw notFound(target, route.name);
    return podMetrics(obj, r!, p!);
  }
  const selected = requestFilter(objects.podInfo, namespace, params);
  const items: object[] = [];
  for (const { node, report } of source.reports()) {
    for (const p of report.pods) {
      if (namespace && p.namespace !== namespace) continue;
      const obj = ownPod(objects, node, p);
      if (obj && selected(obj)) items.push(podMetrics(obj, report, p));
    }
  }
  return { kind: "PodMetricsList", apiVersion: API_VERSION, metadata: {}, items };
}
