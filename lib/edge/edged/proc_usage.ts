/**
 * The node's own CPU and memory from Linux's `/proc/stat` and `/proc/meminfo`, for `kubectl top node`. CPU comes as
 * cumulative busy time; the usage sampler turns two readings into a rate.
 *
 * @module
 */
import { readFile } from "node:fs/promises";

/** Clock ticks per second of `/proc/stat` (USER_HZ): 100 on every Linux architecture we build for. */
export const USER_HZ = 100;

/** Cumulative CPU time of all cores, in nanoseconds. */
export type CpuTimes = { busyNanos: number; totalNanos: number };

/**
 * Reads the aggregate `cpu` line of `/proc/stat`. Busy is everything but idle and iowait; guest time is already
 * inside user and nice, so only the first eight fields count.
 *
 * @throws SyntaxError when the text has no readable `cpu` line
 */
export function parseProcStat(text: string): CpuTimes {
  const line = text.split("\n").find((l) => l.startsWith("cpu "));
  if (!line) throw new SyntaxError("Cannot read /proc/stat: no aggregate \"cpu\" line");
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields.length < 4 || fields.some((n) => !Number.isFinite(n) || n < 0)) {
    throw new SyntaxError(`Cannot read /proc/stat: unexpected cpu line "${line.slice(0, 120)}"`);
  }
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3]! + (fields[4] ?? 0);
  const nanosPerTick = 1e9 / USER_HZ;
  return { busyNanos: (total - idle) * nanosPerTick, totalNanos: total * nanosPerTick };
}

/**
 * The node's working set from `/proc/meminfo`: MemTotal minus MemAvailable, in bytes (what the kubelet reports for
 * the node: memory in use that the kernel cannot hand back at once).
 *
 * @throws SyntaxError when MemTotal or MemAvailable is missing
 */
export function parseMemInfo(text: string): number {
  const kib = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB$`, "m").exec(text);
    if (!m) throw new SyntaxError(`Cannot read /proc/meminfo: no "${key}" line`);
    return Number(m[1]) * 1024;
  };
  return Math.max(0, kib("MemTotal") - kib("MemAvailable"));
}

/** Where the node readings come from; tests point it at fixture files. */
export type ProcPaths = { stat: string; meminfo: string };

/** The files of a Linux host. */
export const PROC_PATHS: ProcPaths = { stat: "/proc/stat", meminfo: "/proc/meminfo" };

/**
 * Reads both files once.
 *
 * @throws Error naming the file that cannot be read or parsed
 */
export async function readNodeTimes(paths: ProcPaths = PROC_PATHS): Promise<{ cpu: CpuTimes; memoryBytes: number }> {
  const [stat, meminfo] = await Promise.all([readFile(paths.stat, "utf8"), readFile(paths.meminfo, "utf8")]);
  return { cpu: parseProcStat(stat), memoryBytes: parseMemInfo(meminfo) };
}
