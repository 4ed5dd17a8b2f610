/**
 * Prometheus metrics and health endpoints, shared by edge and cloud: a registry per process, metrics read from the
 * modules' own counters when scraped, and one small HTTP server for `/metrics`, `/healthz` and `/readyz`.
 *
 * @module
 */
export { sampledCounter, sampledGauge, type Sample } from "./sampled.ts";
export { registerProcessMetrics } from "./process_metrics.ts";
export { timedStore, storeDiskBytes } from "./timed_store.ts";
export { startMetricsServer, type MetricsServer, type MetricsServerOptions, type ReadyCheck } from "./metrics_server.ts";
export { Registry, Histogram, Counter, Gauge } from "prom-client";
