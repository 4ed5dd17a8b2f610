/**
 * The process's own CPU and memory, under Prometheus' standard process metric names. Written here rather than with
 * prom-client's default collectors, which use Node-only hooks (event loop delay monitors) that Bun and Deno lack.
 *
 * @module
 */
import type { Registry } from "prom-client";
import { sampledCounter, sampledGauge } from "./sampled.ts";

const startSeconds = Math.floor(Date.now() / 1000 - process.uptime());

/** Registers process_cpu_seconds_total, process_resident_memory_bytes, process_heap_bytes, process_start_time_seconds. */
export function registerProcessMetrics(registry: Registry): void {
  sampledCounter(registry, {
    name: "process_cpu_seconds_total",
    help: "Total user and system CPU time spent in seconds.",
    read: () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1e6;
    },
  });
  sampledGauge(registry, { name: "process_resident_memory_bytes", help: "Resident memory size in bytes.", read: () => process.memoryUsage.rss() });
  sampledGauge(registry, { name: "process_heap_bytes", help: "JavaScript heap in use, in bytes.", read: () => process.memoryUsage().heapUsed });
  sampledGauge(registry, { name: "process_start_time_seconds", help: "Start time of the process since unix epoch in seconds.", read: () => startSeconds });
}
