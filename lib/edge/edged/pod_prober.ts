/**
 * Probe loops of one pod's running containers. Per container: the startup probe runs first; once it passes (or when
 * there is none) liveness and readiness run, each on its own period after its initial delay. Thresholds count
 * consecutive results. A container with no readiness probe is ready once started. A failed startup or liveness probe
 * marks the container for a restart; the pod worker does the killing. Every change of a result calls `onChange`.
 *
 * @module
 */
import type { Logger } from "../../log/index.ts";
import { checkProbe } from "./probe_check.ts";
import type { ContainerRuntime } from "./runtime/index.ts";
import type { Container, Probe } from "./types.ts";

/** What the probes say about one container. */
export type ProbeState = { started: boolean; ready: boolean; livenessFailed: boolean; message: string };

/** A running container to probe. */
export type ProbedContainer = { id: string; container: Container; startedAtMs: number };

/** What a pod's prober needs. `onFailure` hears every failed probe (the kubelet's Unhealthy events). */
export type PodProberDeps = { runtime: ContainerRuntime; log: Logger; onChange: () => void; onFailure?: (c: Container, message: string) => void };

const KIND_NAMES: Record<Kind, string> = { startup: "Startup", liveness: "Liveness", readiness: "Readiness" };

type Kind = "startup" | "liveness" | "readiness";

type Entry = {
  c: ProbedContainer;
  state: ProbeState;
  timers: Map<Kind, ReturnType<typeof setTimeout>>;
  counts: Map<Kind, { ok: number; fail: number }>;
  stopped: boolean;
};

/** The probes of one pod. */
export class PodProber {
  readonly #deps: PodProberDeps;
  readonly #entries = new Map<string, Entry>();
  #podIP = "";

  constructor(deps: PodProberDeps) {
    this.#deps = deps;
  }

  /** Starts loops for new containers and stops those of containers no longer running. */
  sync(running: ProbedContainer[], podIP: string): void {
    this.#podIP = podIP;
    const ids = new Set(running.map((r) => r.id));
    for (const [id, e] of this.#entries) if (!ids.has(id)) this.#drop(id, e);
    for (const r of running) if (!this.#entries.has(r.id)) this.#add(r);
  }

  /** The state of a container; a container never synced reads as not started and not ready. */
  state(id: string): ProbeState {
    return this.#entries.get(id)?.state ?? { started: false, ready: false, livenessFailed: false, message: "" };
  }

  /** Stops every loop. */
  stop(): void {
    for (const [id, e] of this.#entries) this.#drop(id, e);
  }

  #add(c: ProbedContainer): void {
    const spec = c.container;
    const e: Entry = {
      c,
      state: { started: !spec.startupProbe, ready: !spec.startupProbe && !spec.readinessProbe, livenessFailed: false, message: "" },
      timers: new Map(),
      counts: new Map(),
      stopped: false,
    };
    this.#entries.set(c.id, e);
    if (spec.startupProbe) this.#schedule(e, "startup", spec.startupProbe, true);
    else this.#afterStart(e);
  }

  #afterStart(e: Entry): void {
    const spec = e.c.container;
    if (spec.livenessProbe) this.#schedule(e, "liveness", spec.livenessProbe, true);
    if (spec.readinessProbe) this.#schedule(e, "readiness", spec.readinessProbe, true);
  }

  #drop(id: string, e: Entry): void {
    e.stopped = true;
    for (const t of e.timers.values()) clearTimeout(t);
    this.#entries.delete(id);
  }

  #schedule(e: Entry, kind: Kind, probe: Probe, first: boolean): void {
    if (e.stopped) return;
    const periodMs = Math.max(1, probe.periodSeconds ?? 10) * 1000;
    const delayMs = first ? Math.max(0, e.c.startedAtMs + (probe.initialDelaySeconds ?? 0) * 1000 - Date.now()) : periodMs;
    const t = setTimeout(() => void this.#run(e, kind, probe), delayMs);
    t.unref?.();
    e.timers.set(kind, t);
  }

  async #run(e: Entry, kind: Kind, probe: Probe): Promise<void> {
    const outcome = await checkProbe(probe, { runtime: this.#deps.runtime, containerId: e.c.id, container: e.c.container, podIP: this.#podIP });
    if (e.stopped) return;
    const n = e.counts.get(kind) ?? { ok: 0, fail: 0 };
    if (outcome.ok) {
      n.ok++;
      n.fail = 0;
    } else {
      n.fail++;
      n.ok = 0;
    }
    e.counts.set(kind, n);
    const passed = n.ok >= Math.max(1, probe.successThreshold ?? 1);
    const failed = n.fail >= Math.max(1, probe.failureThreshold ?? 3);
    const s = e.state;
    const before = JSON.stringify(s);
    if (!outcome.ok) {
      this.#deps.log.debug("probe failed", { kind, container: e.c.container.name, id: e.c.id.slice(0, 12), detail: outcome.detail });
      this.#deps.onFailure?.(e.c.container, `${KIND_NAMES[kind]} probe failed: ${outcome.detail}`);
    }
    let again = true;
    if (kind === "startup") {
      if (passed) {
        s.started = true;
        if (!e.c.container.readinessProbe) s.ready = true;
        this.#afterStart(e);
        again = false;
      } else if (failed) {
        s.livenessFailed = true;
        s.message = `Startup probe failed: ${outcome.detail}`;
        again = false;
      }
    } else if (kind === "liveness") {
      if (failed) {
        s.livenessFailed = true;
        s.message = `Liveness probe failed: ${outcome.detail}`;
        again = false;
      }
    } else if (passed) {
      s.ready = true;
    } else if (failed) {
      s.ready = false;
    }
    if (again) this.#schedule(e, kind, probe, false);
    if (JSON.stringify(s) !== before) {
      if (s.livenessFailed) this.#deps.log.info("container failed its probe, restarting", { container: e.c.container.name, reason: s.message });
      this.#deps.onChange();
    }
  }
}
