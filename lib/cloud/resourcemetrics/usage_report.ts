/**
 * Checks a node's usage report (`lib/model/resource_usage.ts`) before anything of it is kept: a node is a stranger
 * to the cloud's memory, so shape, string lengths, counts and numbers are all bounded, and a bad report is refused
 * whole with an error naming the first bad field.
 *
 * @module
 */
import type { ContainerUsage, PodUsage, Usage, UsageReport } from "../../model/index.ts";

/** Bounds on one report. */
export type UsageReportLimits = {
  /** Pods in one report. @default 1000 */
  maxPods: number;
  /** Containers in one pod. @default 64 */
  maxContainersPerPod: number;
};

/** The defaults: above any node's maxPods default and what a pod sensibly holds. */
export const USAGE_REPORT_LIMITS: UsageReportLimits = { maxPods: 1000, maxContainersPerPod: 64 };

/** Longest namespace, pod, container name and UID (DNS subdomain length). */
const MAX_NAME = 253;
/** Longest window a CPU average may cover: ten minutes, the sampler's longest interval, with slack. */
const MAX_WINDOW_SECONDS = 3600;
/** 1e6 cores: no real node has more; anything above is a lie that would print as nonsense. */
const MAX_NANOCORES = 1e15;

function record(v: unknown, at: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new TypeError(`Cannot accept usage report: ${at} is not an object`);
  return v as Record<string, unknown>;
}

function list(v: unknown, at: string, max: number): unknown[] {
  if (!Array.isArray(v)) throw new TypeError(`Cannot accept usage report: ${at} is not a list`);
  if (v.length > max) throw new RangeError(`Cannot accept usage report: ${at} has ${v.length} entries, more than ${max}`);
  return v;
}

function name(v: unknown, at: string, allowEmpty = false): string {
  if (typeof v !== "string" || (!allowEmpty && v === "") || v.length > MAX_NAME) {
    throw new TypeError(`Cannot accept usage report: ${at} must be a string of 1 to ${MAX_NAME} characters`);
  }
  return v;
}

function amount(v: unknown, at: string, max: number): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > max) {
    throw new RangeError(`Cannot accept usage report: ${at} must be a finite number from 0 to ${max}, got ${typeof v === "number" ? v : typeof v}`);
  }
  return v;
}

function usage(v: unknown, at: string): Usage {
  const u = record(v, at);
  return {
    cpuNanoCores: Math.round(amount(u.cpuNanoCores, `${at}.cpuNanoCores`, MAX_NANOCORES)),
    memoryBytes: Math.round(amount(u.memoryBytes, `${at}.memoryBytes`, Number.MAX_SAFE_INTEGER)),
  };
}

function pod(v: unknown, at: string, limits: UsageReportLimits): PodUsage {
  const p = record(v, at);
  const seen = new Set<string>();
  const containers = list(p.containers, `${at}.containers`, limits.maxContainersPerPod).map((c, i): ContainerUsage => {
    const where = `${at}.containers[${i}]`;
    const cn = name(record(c, where).name, `${where}.name`);
    if (seen.has(cn)) throw new TypeError(`Cannot accept usage report: ${where}.name "${cn}" appears twice`);
    seen.add(cn);
    return { name: cn, ...usage(c, where) };
  });
  return { namespace: name(p.namespace, `${at}.namespace`), name: name(p.name, `${at}.name`), uid: name(p.uid, `${at}.uid`, true), containers };
}

/**
 * Reads a report's content into a fresh, checked object (nothing of the original is kept).
 *
 * @throws TypeError for a wrong shape, RangeError for a number or count out of bounds
 */
export function parseUsageReport(content: unknown, limits: UsageReportLimits = USAGE_REPORT_LIMITS): UsageReport {
  const r = record(content, "content");
  const timestamp = r.timestamp;
  if (typeof timestamp !== "string" || timestamp.length > 40 || !Number.isFinite(Date.parse(timestamp))) {
    throw new TypeError("Cannot accept usage report: timestamp must be an RFC 3339 time");
  }
  const windowSeconds = amount(r.windowSeconds, "windowSeconds", MAX_WINDOW_SECONDS);
  if (windowSeconds === 0) throw new RangeError("Cannot accept usage report: windowSeconds must be above 0");
  const pods = list(r.pods, "pods", limits.maxPods).map((p, i) => pod(p, `pods[${i}]`, limits));
  const keys = new Set<string>();
  for (const p of pods) {
    const key = `${p.namespace}/${p.name}`;
    if (keys.has(key)) throw new TypeError(`Cannot accept usage report: pod "${key}" appears twice`);
    keys.add(key);
  }
  return { timestamp: new Date(Date.parse(timestamp)).toISOString(), windowSeconds, node: usage(r.node, "node"), pods };
}
