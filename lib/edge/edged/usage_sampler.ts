/**
 * Measures the node and its pods' containers every interval for `kubectl top` and hands each reading to `send`
 * (edged sends it to the cloud as a usage report, `lib/model/resource_usage.ts`). CPU is a rate between two
 * readings, so the first pass only primes the counters; a container first seen in a pass (new, or restarted under a
 * new id) appears from the next one. Engine calls run at most `concurrency` at a time:
 * the engine answers a one-shot stats call at its next collection tick (every second), so a pass over n containers
 * takes about ceil(n / concurrency) seconds.
 *
 * @module
 */
import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "../../log/index.ts";
import type { ContainerUsage, PodUsage, UsageReport } from "../../model/index.ts";
import { Label } from "./labels.ts";
import { Limiter } from "./limiter.ts";
import { PROC_PATHS, type ProcPaths, readNodeTimes } from "./proc_usage.ts";
import type { ContainerRuntime, ContainerStats, ContainerSummary } from "./runtime/index.ts";

/** What the sampler needs. */
export type UsageSamplerOptions = {
  runtime: ContainerRuntime;
  nodeName: string;
  /** Time between readings (ms). */
  intervalMs: number;
  /** Engine stats calls at once (each waits for the engine's next one-second collection tick). @default 8 */
  concurrency?: number;
  /** Where node readings come from. @default /proc/stat and /proc/meminfo */
  proc?: ProcPaths;
  log: Logger;
  send(report: UsageReport): Promise<void>;
};

type CpuReading = { nanos: number; atMs: number };

/** Nanocores between two cumulative CPU readings; 0 when the counter went back (a reset) or no time passed. */
function rate(prev: CpuReading, next: CpuReading): number {
  const dt = (next.atMs - prev.atMs) / 1000;
  const used = next.nanos - prev.nanos;
  return dt > 0 && used > 0 ? Math.round(used / dt) : 0;
}

/** Takes readings; keeps the previous cumulative CPU of the node and of each container. */
export class UsageSampler {
  readonly #o: UsageSamplerOptions;
  readonly #limiter: Limiter;
  #node: CpuReading | undefined;
  #containers = new Map<string, CpuReading>();

  constructor(options: UsageSamplerOptions) {
    this.#o = options;
    this.#limiter = new Limiter(options.concurrency ?? 8);
  }

  /**
   * Takes one reading of the node and every running container of this node.
   *
   * @returns the report, or undefined on the first pass (no earlier reading to make a rate from)
   * @throws Error when /proc or the engine's container list cannot be read
   */
  async sample(signal?: AbortSignal): Promise<UsageReport | undefined> {
    const { runtime, nodeName } = this.#o;
    const [node, listed] = await Promise.all([
      readNodeTimes(this.#o.proc ?? PROC_PATHS),
      runtime.listContainers({ [Label.node]: nodeName }, signal),
    ]);
    const now: CpuReading = { nanos: node.cpu.busyNanos, atMs: Date.now() };
    const running = listed.filter((c) => c.state === "running" && c.labels[Label.role] !== "sandbox");
    const stats = await Promise.all(running.map((c) => this.#limiter.run(() => this.#stats(c, signal))));
    const prevNode = this.#node;
    const seen = new Map<string, CpuReading>();
    const pods = new Map<string, PodUsage>();
    running.forEach((c, i) => {
      const s = stats[i];
      if (!s) return;
      const reading = { nanos: s.cpuNanos, atMs: s.readAtMs };
      seen.set(c.id, reading);
      const prev = this.#containers.get(c.id);
      if (!prev) return;
      const l = c.labels;
      const key = l[Label.uid] ?? `${l[Label.namespace]}/${l[Label.pod]}`;
      let pod = pods.get(key);
      if (!pod) pods.set(key, (pod = { namespace: l[Label.namespace] ?? "", name: l[Label.pod] ?? "", uid: l[Label.uid] ?? "", containers: [] }));
      const usage: ContainerUsage = { name: l[Label.container] ?? c.name, cpuNanoCores: rate(prev, reading), memoryBytes: s.memoryBytes };
      pod.containers.push(usage);
    });
    // containers gone since the last pass are forgotten here, so the map never outgrows what runs
    this.#containers = seen;
    this.#node = now;
    if (!prevNode) return undefined;
    return {
      timestamp: new Date(now.atMs).toISOString(),
      windowSeconds: Math.max(0.001, (now.atMs - prevNode.atMs) / 1000),
      node: { cpuNanoCores: rate(prevNode, now), memoryBytes: node.memoryBytes },
      pods: [...pods.values()].filter((p) => p.namespace && p.name),
    };
  }

  /** Samples every interval and sends each report until `signal` aborts; a failed pass is logged, never fatal. */
  async run(signal: AbortSignal): Promise<void> {
    const { log, intervalMs } = this.#o;
    let failing = false;
    while (!signal.aborted) {
      try {
        const report = await this.sample(signal);
        // a reading that cannot be handed on is simply lost: the next one replaces it
        if (report && !signal.aborted) {
          await this.#o.send(report).catch((e: unknown) => log.debug("cannot send resource usage", { error: e instanceof Error ? e.message : String(e) }));
        }
        if (failing) log.info("resource usage readable again");
        failing = false;
      } catch (e) {
        if (signal.aborted) break;
        // one line when readings start failing, not one per interval
        if (!failing) log.warn("cannot read resource usage", { error: e instanceof Error ? e.message : String(e) });
        failing = true;
      }
      await delay(intervalMs, undefined, { signal }).catch(() => {});
    }
  }

  async #stats(c: ContainerSummary, signal?: AbortSignal): Promise<ContainerStats | undefined> {
    try {
      return await this.#o.runtime.containerStats(c.id, signal);
    } catch (e) {
      // one container's failure (it stopped meanwhile) must not cost the others their reading
      this.#o.log.debug("cannot read container usage", { container: c.name, error: e instanceof Error ? e.message : String(e) });
      return undefined;
    }
  }
}
