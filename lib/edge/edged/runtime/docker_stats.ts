/**
 * A container's usage from the Docker Engine's one-shot stats (`GET /containers/<id>/stats?stream=false&one-shot=true`):
 * cumulative CPU time and the working set, computed as the kubelet and `docker stats` compute it (usage minus the
 * inactive file cache, which the kernel can drop at once).
 *
 * @module
 */
import type { ContainerStats } from "./types.ts";

/** The fields of the engine's stats document we read (cgroup v1 and v2 name the cache differently). */
export type DockerStats = {
  read?: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number } };
  memory_stats?: { usage?: number; stats?: { inactive_file?: number; total_inactive_file?: number } };
};

/**
 * Reads one stats document.
 *
 * @returns undefined when the engine has no reading (a stopped container's stats are empty)
 */
export function toContainerStats(s: DockerStats, nowMs: number): ContainerStats | undefined {
  const cpu = s.cpu_stats?.cpu_usage?.total_usage;
  const usage = s.memory_stats?.usage;
  if (typeof cpu !== "number" || typeof usage !== "number" || !Number.isFinite(cpu) || !Number.isFinite(usage)) return undefined;
  const stats = s.memory_stats?.stats ?? {};
  const inactive = stats.inactive_file ?? stats.total_inactive_file ?? 0;
  const read = s.read ? Date.parse(s.read) : NaN;
  // a stopped container reports the zero time: fall back to now
  const readAtMs = Number.isFinite(read) && read > 0 ? read : nowMs;
  return { cpuNanos: cpu, memoryBytes: Math.max(0, usage - (Number.isFinite(inactive) ? inactive : 0)), readAtMs };
}
