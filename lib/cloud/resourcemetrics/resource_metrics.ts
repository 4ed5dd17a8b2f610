/**
 * The ResourceMetrics module: keeps each node's latest usage report in memory for the embedded API's
 * `metrics.k8s.io`. See the face (`index.ts`) for what it consumes.
 *
 * @module
 */
import type { ResourceUsageSource } from "../apiserver/index.ts";
import type { Module, ModuleContext } from "../../core/index.ts";
import { createLogger, type Logger } from "../../log/index.ts";
import { fromCloudResource, Group, type Message, Op, parseResource, USAGE_GROUP, USAGE_MODULE, USAGE_RESOURCE_TYPE, type UsageReport } from "../../model/index.ts";
import { parseUsageReport, USAGE_REPORT_LIMITS, type UsageReportLimits } from "./usage_report.ts";

/** How the module is set up. */
export type ResourceMetricsOptions = {
  /** Bounds on one report. @default {@link USAGE_REPORT_LIMITS} */
  limits?: UsageReportLimits;
  /** Reports from one node closer together than this are dropped unread. @default 1000 (ms) */
  minIntervalMs?: number;
  /** A report older than this is no longer served (its node stopped sending). @default 300000 (ms) */
  maxAgeMs?: number;
  log?: Logger;
};

/** Counters since start. */
export type ResourceMetricsStats = { accepted: number; refused: number; throttled: number; nodes: number };

const DEFAULTS = { minIntervalMs: 1000, maxAgeMs: 300_000 };

type Kept = { report: UsageReport; receivedAtMs: number };

/**
 * The cloud end of usage reports. Register it on the cloud bus and hand it to the API with `api.setResourceUsage(...)`.
 *
 * @example In cloud_core
 * ```ts
 * const usage = new ResourceMetrics({ log: log.child("resourcemetrics") });
 * bus.register(usage);
 * api.setResourceUsage(usage);
 * ```
 */
export class ResourceMetrics implements Module, ResourceUsageSource {
  readonly name = USAGE_MODULE;
  readonly group = USAGE_MODULE;
  readonly #o: typeof DEFAULTS & { limits: UsageReportLimits };
  readonly #log: Logger;
  readonly #kept = new Map<string, Kept>();
  readonly #stats = { accepted: 0, refused: 0, throttled: 0 };

  constructor(options: ResourceMetricsOptions = {}) {
    this.#o = {
      minIntervalMs: options.minIntervalMs ?? DEFAULTS.minIntervalMs,
      maxAgeMs: options.maxAgeMs ?? DEFAULTS.maxAgeMs,
      limits: options.limits ?? USAGE_REPORT_LIMITS,
    };
    this.#log = options.log ?? createLogger(USAGE_MODULE);
  }

  /** Counters now. */
  stats(): ResourceMetricsStats {
    return { ...this.#stats, nodes: this.#kept.size };
  }

  async start(ctx: ModuleContext): Promise<void> {
    for await (const msg of ctx.inbox) this.handle(msg, Date.now());
  }

  /** Handles one message from CloudHub (exposed so tests can feed hostile reports without a link). */
  handle(msg: Message, nowMs: number): void {
    if (msg.route.group === Group.hub) {
      // a node that left has no current usage: kubectl top shows it as missing, not frozen at its last reading
      if (msg.route.operation === Op.disconnected) this.#kept.delete(msg.route.resource.replace(/^node\//, ""));
      return;
    }
    if (msg.route.group !== USAGE_GROUP) return;
    let node: string, resource: string;
    try {
      ({ node, resource } = fromCloudResource(msg.route.resource));
    } catch {
      this.#stats.refused++;
      return;
    }
    const last = this.#kept.get(node);
    if (last && nowMs - last.receivedAtMs < this.#o.minIntervalMs) {
      this.#stats.throttled++;
      return;
    }
    try {
      const target = parseResource(resource);
      if (target.type !== USAGE_RESOURCE_TYPE || target.name !== node) {
        throw new TypeError(`Cannot accept usage report: resource "${resource}" is not this node's ${USAGE_RESOURCE_TYPE}`);
      }
      this.#kept.set(node, { report: parseUsageReport(msg.content, this.#o.limits), receivedAtMs: nowMs });
      this.#stats.accepted++;
    } catch (e) {
      this.#stats.refused++;
      // a refused report still counts for the interval, so a node sending junk costs one log line per interval
      if (last) last.receivedAtMs = nowMs;
      this.#log.warn("usage report refused", { node, error: e instanceof Error ? e.message : String(e) });
    }
  }

  *reports(): Iterable<{ node: string; report: UsageReport }> {
    const now = Date.now();
    for (const [node, k] of this.#kept) if (now - k.receivedAtMs <= this.#o.maxAgeMs) yield { node, report: k.report };
  }

  report(node: string): UsageReport | undefined {
    const k = this.#kept.get(node);
    return k && Date.now() - k.receivedAtMs <= this.#o.maxAgeMs ? k.report : undefined;
  }
}
