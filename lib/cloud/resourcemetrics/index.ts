/**
 * ResourceMetrics: what `kubectl top` reads. Keeps the latest usage report of each node in memory and hands it to
 * the embedded API, which serves it as `metrics.k8s.io/v1beta1` NodeMetrics and PodMetrics.
 *
 * Consumes (inbox "resourcemetrics"): group `usage` `update node/<node>/default/nodemetrics/<node>` from nodes
 * (`lib/model/resource_usage.ts`), routed by CloudHub; CloudHub's `hub` `disconnected` (the node's report is dropped).
 * Emits nothing.
 *
 * On a real cluster, `startAggregatedApi` serves the same documents to the cluster's aggregator (config `metricsApi`).
 *
 * Bounds: every report is checked whole before it is kept (`usage_report.ts`: counts, name lengths, finite
 * non-negative numbers); one report per node is kept; reports closer than `minIntervalMs` are dropped unread.
 *
 * @module
 */
export { ResourceMetrics } from "./resource_metrics.ts";
export type { ResourceMetricsOptions, ResourceMetricsStats } from "./resource_metrics.ts";
export { parseUsageReport, USAGE_REPORT_LIMITS } from "./usage_report.ts";
export type { UsageReportLimits } from "./usage_report.ts";
export { startAggregatedApi } from "./aggregated_api.ts";
export type { AggregatedApi, AggregatedApiOptions } from "./aggregated_api.ts";
