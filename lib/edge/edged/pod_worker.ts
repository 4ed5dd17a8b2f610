/**
 * One pod's reconcile loop. Each pass compares the desired pod with the containers the engine shows for its UID and
 * makes one step of difference go away: sandbox, volumes, init containers in order, app containers (start, restart
 * with back-off per restartPolicy, replace on spec change or failed liveness), garbage of old attempts; then it
 * reports the status when it changed. A pass runs when something happened (pod update, container event, probe
 * result, referenced object change) or when a timer it asked for fires. Deletion stops the containers gracefully,
 * removes them and the pod's files, and confirms. Each step is recorded as the kubelet records it (Pulling, Created,
 * Started, Killing, BackOff, Unhealthy, Failed), about the container's field path in the pod.
 *
 * @module
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../../log/index.ts";
import { appContainerSpec, containerHash, DEFAULT_GRACE_SECONDS, sandboxSpec } from "./container_spec.ts";
import { EdgedError } from "./edged_error.ts";
import { resolveEnv } from "./env.ts";
import type { ImageManager } from "./image_manager.ts";
import { attemptOf, Label } from "./labels.ts";
import type { Limiter } from "./limiter.ts";
import type { ObjectSource } from "./object_source.ts";
import { podServices } from "./pod_services.ts";
import { collectGarbage, type Observed, observePod, stopAndRemoveAll } from "./pod_containers.ts";
import { PodProber } from "./pod_prober.ts";
import { computePodStatus, type Waiting } from "./pod_status.ts";
import { prepareVolumes, type PreparedVolume } from "./pod_volumes.ts";
import type { RestartBackoff } from "./restart_backoff.ts";
import { type ContainerDetails, type ContainerRuntime, RuntimeError } from "./runtime/index.ts";
import type { Container, Pod, PodStatus } from "./types.ts";
import { Wakeup } from "./wakeup.ts";

/** What every pod worker shares. */
export type PodWorkerDeps = {
  runtime: ContainerRuntime;
  objects: ObjectSource;
  images: ImageManager;
  restarts: RestartBackoff;
  limiter: Limiter;
  log: Logger;
  nodeName: string;
  hostIP(): string;
  /** `<dataDir>/pods` */
  podsDir: string;
  sandboxImage: string;
  /** Longest time between passes. */
  resyncMs: number;
  /** Re-send an unchanged status after this long. */
  statusResendMs: number;
  reportStatus(pod: Pod, status: PodStatus): Promise<void>;
  confirmDeletion(pod: Pod): Promise<void>;
  /** Records an Event about the pod, or about one of its containers when `fieldPath` names it. Never throws. */
  recordEvent(pod: Pod, type: "Normal" | "Warning", reason: string, message: string, fieldPath?: string): void;
};

const RETRY_MS = 1000;
const INIT_POLL_MS = 2000;

/** The loop of one pod. */
export class PodWorker {
  readonly #deps: PodWorkerDeps;
  readonly #log: Logger;
  readonly #prober: PodProber;
  readonly #waiting = new Map<string, Waiting>();
  #pod: Pod;
  #terminating = false;
  #stopped = false;
  readonly #wakeup = new Wakeup();
  #lastStatus: PodStatus | undefined;
  #lastStatusJson = "";
  #lastSentMs = 0;
  #startTime: string | undefined;
  #podMessage: string | undefined;
  /** Volume warnings already reported as Events, so each is reported once while it lasts. */
  #mountWarnings = new Set<string>();
  /** Resolves when the loop has ended (stopped, or the pod is gone). */
  readonly done: Promise<void>;

  constructor(pod: Pod, deps: PodWorkerDeps) {
    this.#pod = pod;
    this.#deps = deps;
    this.#log = deps.log.child(`${pod.metadata.namespace}/${pod.metadata.name}`);
    this.#prober = new PodProber({
      runtime: deps.runtime, log: this.#log, onChange: () => this.trigger(),
      onFailure: (c, message) => this.#event("Warning", "Unhealthy", message, c, "app"),
    });
    this.#startTime = pod.status?.startTime;
    this.#terminating = !!pod.metadata.deletionTimestamp;
    this.done = this.#loop();
  }

  /** The desired pod. */
  get pod(): Pod {
    return this.#pod;
  }

  /** Replaces the desired pod; a deletionTimestamp starts graceful termination. */
  update(pod: Pod): void {
    this.#pod = pod;
    if (pod.metadata.deletionTimestamp) this.#terminating = true;
    this.trigger();
  }

  /** The pod is gone from the cloud: terminate it (with the grace period it carries) and confirm. */
  delete(pod: Pod): void {
    this.#pod = pod;
    this.#terminating = true;
    this.trigger();
  }

  /** Asks for a pass soon. */
  trigger(): void {
    this.#wakeup.wake();
  }

  /** Ends the loop and the probes; the pod's containers keep running (edge autonomy). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wakeup.wake();
    this.#prober.stop();
    await this.done;
  }

  async #loop(): Promise<void> {
    let failures = 0;
    while (!this.#stopped) {
      await this.#wakeup.wait(this.#deps.resyncMs);
      if (this.#stopped) break;
      try {
        const finished = await this.#deps.limiter.run(() => this.#sync());
        failures = 0;
        if (finished) break;
      } catch (e) {
        failures++;
        const delay = Math.min(RETRY_MS * 2 ** Math.min(failures - 1, 5), this.#deps.resyncMs);
        this.#log.warn("pod sync failed", { error: e instanceof Error ? e.message : String(e), retryInMs: delay });
        this.#soon(delay);
      }
    }
    this.#prober.stop();
  }

  #soon(ms: number): void {
    this.#wakeup.soon(ms);
  }

  #observe(): Promise<Observed> {
    return observePod(this.#deps.runtime, this.#deps.nodeName, this.#pod.metadata.uid ?? "");
  }

  /** One pass. @returns true when the pod is gone and the loop should end */
  async #sync(): Promise<boolean> {
    const pod = this.#pod;
    let obs = await this.#observe();
    if (this.#terminating) {
      await this.#terminate(obs);
      return true;
    }
    let changed = false;
    let sandbox = obs.sandboxes.find((s) => s.running);
    if (!sandbox) {
      sandbox = await this.#startSandbox(obs);
      if (!sandbox) return this.#report(obs, "");
      changed = true;
    }
    const podIP = pod.spec.hostNetwork ? this.#deps.hostIP() : sandbox.ip;
    this.#startTime ??= sandbox.startedAt ?? new Date().toISOString();
    const facts = { podIP, hostIP: this.#deps.hostIP(), nodeName: this.#deps.nodeName };
    let volumes: Map<string, PreparedVolume>;
    try {
      const warnings = new Set<string>();
      volumes = await prepareVolumes(pod, join(this.#deps.podsDir, pod.metadata.uid ?? "", "volumes"), { objects: this.#deps.objects, facts }, (_, m) => warnings.add(m));
      this.#podMessage = undefined;
      await this.#reportMountWarnings(warnings);
    } catch (e) {
      if (!(e instanceof EdgedError)) throw e;
      this.#podMessage = `Cannot prepare volumes: ${e.message}`;
      for (const c of pod.spec.containers) if (!obs.app.get(c.name)?.[0]?.running) this.#waiting.set(c.name, { reason: "ContainerCreating", message: e.message });
      this.#soon(RETRY_MS * 2);
      return this.#report(obs, podIP);
    }
    const ctx = { sandbox, volumes, facts };
    const initDone = this.#initDone(obs, sandbox.id);
    if (!initDone) {
      changed = (await this.#syncInit(obs, ctx)) || changed;
    } else {
      for (const c of pod.spec.containers) changed = (await this.#syncContainer(c, "app", obs.app.get(c.name) ?? [], ctx)) || changed;
    }
    changed = (await this.#collectGarbage(obs, sandbox.id)) || changed;
    if (changed) obs = await this.#observe();
    return this.#report(obs, podIP);
  }

  /** Reports each new volume warning as a FailedMount Warning Event; one that went away may be reported again later. */
  async #reportMountWarnings(warnings: Set<string>): Promise<void> {
    for (const m of warnings) {
      if (this.#mountWarnings.has(m)) continue;
      this.#log.warn("volume prepared without a file", { message: m });
      this.#event("Warning", "FailedMount", m);
    }
    this.#mountWarnings = warnings;
  }

  #initDone(obs: Observed, sandboxId: string): boolean {
    for (const list of obs.app.values()) if (list.some((c) => c.labels[Label.sandbox] === sandboxId)) return true;
    return (this.#pod.spec.initContainers ?? []).every((c) => {
      const latest = (obs.init.get(c.name) ?? []).find((x) => x.labels[Label.sandbox] === sandboxId);
      return latest && !latest.running && latest.finishedAt && latest.exitCode === 0;
    });
  }

  async #syncInit(obs: Observed, ctx: SyncContext): Promise<boolean> {
    for (const c of this.#pod.spec.initContainers ?? []) {
      const list = obs.init.get(c.name) ?? [];
      const latest = list.find((x) => x.labels[Label.sandbox] === ctx.sandbox.id);
      if (latest && !latest.running && latest.finishedAt && latest.exitCode === 0) continue;
      if (latest?.running) {
        this.#soon(INIT_POLL_MS);
        return false;
      }
      // a new sandbox runs every init container again, whatever earlier sandboxes' attempts did
      if (!latest) return this.#createContainer(c, "init", list[0] ? attemptOf(list[0].labels) + 1 : 0, ctx);
      return this.#syncContainer(c, "init", list, ctx);
    }
    return false;
  }

  /** Brings one container towards running. @returns true when it changed something in the engine */
  async #syncContainer(c: Container, role: "init" | "app", list: ContainerDetails[], ctx: SyncContext): Promise<boolean> {
    const pod = this.#pod;
    const { runtime, restarts } = this.#deps;
    const key = `${pod.metadata.uid}/${c.name}`;
    let latest = list[0];
    let replace = false;
    let acted = false;
    if (latest?.running) {
      const stale = latest.labels[Label.hash] !== containerHash(c) || latest.labels[Label.sandbox] !== ctx.sandbox.id;
      const probe = this.#prober.state(latest.id);
      if (!stale && !probe.livenessFailed) {
        this.#waiting.delete(c.name);
        return false;
      }
      this.#log.info(stale ? "replacing container: spec or sandbox changed" : "killing container: probe failed", { container: c.name, reason: probe.message });
      const why = !stale ? `failed ${probe.message.startsWith("Startup") ? "startup" : "liveness"} probe, will be restarted`
        : latest.labels[Label.hash] !== containerHash(c) ? "definition changed, will be restarted" : "is in a replaced pod sandbox";
      this.#event("Normal", "Killing", `Container ${c.name} ${why}`, c, role);
      await runtime.stopContainer(latest.id, this.#graceSeconds());
      latest = (await runtime.inspectContainer(latest.id)) ?? latest;
      replace = stale;
      acted = true;
    }
    if (latest && !replace) {
      if (latest.state === "created" && !latest.error) {
        await runtime.startContainer(latest.id);
        return true;
      }
      const policy = pod.spec.restartPolicy ?? "Always";
      const restart = role === "init" ? latest.exitCode !== 0 && policy !== "Never" : policy === "Always" || (policy === "OnFailure" && latest.exitCode !== 0);
      if (!restart) {
        this.#waiting.delete(c.name);
        return acted;
      }
      const finishedMs = latest.finishedAt ? Date.parse(latest.finishedAt) : Date.now();
      const readyAt = restarts.readyAt(key, finishedMs);
      if (readyAt > Date.now()) {
        const secs = Math.max(1, Math.round((readyAt - finishedMs) / 1000));
        const message = `back-off ${secs}s restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
        this.#waiting.set(c.name, { reason: "CrashLoopBackOff", message });
        this.#event("Warning", "BackOff", `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`, c, role);
        this.#soon(readyAt - Date.now());
        return acted;
      }
      restarts.next(key);
    }
    return (await this.#createContainer(c, role, latest ? attemptOf(latest.labels) + 1 : 0, ctx)) || acted;
  }

  async #createContainer(c: Container, role: "init" | "app", attempt: number, ctx: SyncContext): Promise<boolean> {
    const pod = this.#pod;
    const { runtime, images } = this.#deps;
    const pull = await images.ensure(c.image ?? "", c.imagePullPolicy, undefined, (type, reason, message) => this.#event(type, reason, message, c, role));
    if (pull) {
      this.#waiting.set(c.name, pull);
      this.#soon(RETRY_MS * 2);
      return false;
    }
    let spec;
    try {
      const services = await podServices(this.#deps.objects, pod);
      const env = await resolveEnv(pod, c, { objects: this.#deps.objects, facts: ctx.facts, services });
      spec = appContainerSpec(pod, c, { nodeName: this.#deps.nodeName, sandboxId: ctx.sandbox.id, role, attempt, env, volumes: ctx.volumes });
    } catch (e) {
      if (!(e instanceof EdgedError)) throw e;
      this.#waiting.set(c.name, { reason: "CreateContainerConfigError", message: e.message });
      this.#event("Warning", "Failed", `Error: ${e.message}`, c, role);
      this.#soon(RETRY_MS * 2);
      return false;
    }
    let id: string;
    try {
      id = await this.#create(spec);
    } catch (e) {
      if (!(e instanceof RuntimeError) || e.code === "RUNTIME_UNREACHABLE") throw e;
      this.#waiting.set(c.name, { reason: "CreateContainerError", message: e.message });
      this.#event("Warning", "Failed", `Error: ${e.message}`, c, role);
      this.#soon(RETRY_MS * 2);
      return false;
    }
    this.#event("Normal", "Created", `Created container ${c.name}`, c, role);
    try {
      await runtime.startContainer(id);
      this.#event("Normal", "Started", `Started container ${c.name}`, c, role);
      this.#waiting.delete(c.name);
      this.#log.info("container started", { container: c.name, attempt, id: id.slice(0, 12) });
    } catch (e) {
      if (!(e instanceof RuntimeError) || e.code === "RUNTIME_UNREACHABLE") throw e;
      this.#deps.restarts.next(`${pod.metadata.uid}/${c.name}`);
      this.#waiting.set(c.name, { reason: "RunContainerError", message: e.message });
      this.#event("Warning", "Failed", `Error: ${e.message}`, c, role);
      this.#soon(RETRY_MS * 2);
    }
    return true;
  }

  /** Creates a container; a leftover of the same name (from a pass cut short by a crash) is removed first. */
  async #create(spec: Parameters<ContainerRuntime["createContainer"]>[0]): Promise<string> {
    try {
      return await this.#deps.runtime.createContainer(spec);
    } catch (e) {
      if (!(e instanceof RuntimeError && e.code === "RUNTIME_CONFLICT")) throw e;
      await this.#deps.runtime.removeContainer(spec.name);
      return this.#deps.runtime.createContainer(spec);
    }
  }

  async #startSandbox(obs: Observed): Promise<ContainerDetails | undefined> {
    const pod = this.#pod;
    const { runtime, images } = this.#deps;
    // the containers of a dead sandbox lost their network: stop them so they restart in the new one
    const live = obs.all.filter((c) => c.running && c.labels[Label.role] !== "sandbox");
    await Promise.all(live.map((c) => runtime.stopContainer(c.id, this.#graceSeconds())));
    const pull = await images.ensure(this.#deps.sandboxImage, "IfNotPresent");
    if (pull) {
      this.#podMessage = `Cannot create pod sandbox: ${pull.message ?? pull.reason}`;
      for (const c of pod.spec.containers) this.#waiting.set(c.name, { reason: "ContainerCreating", message: this.#podMessage });
      this.#soon(RETRY_MS * 2);
      return undefined;
    }
    const attempt = obs.sandboxes.length ? attemptOf(obs.sandboxes[0].labels) + 1 : 0;
    await Promise.all(obs.sandboxes.map((s) => runtime.removeContainer(s.id)));
    const id = await this.#create(sandboxSpec(pod, { nodeName: this.#deps.nodeName, image: this.#deps.sandboxImage, attempt }));
    try {
      await runtime.startContainer(id);
    } catch (e) {
      if (!(e instanceof RuntimeError) || e.code === "RUNTIME_UNREACHABLE") throw e;
      await runtime.removeContainer(id);
      this.#podMessage = `Cannot start pod sandbox: ${e.message}`;
      for (const c of pod.spec.containers) this.#waiting.set(c.name, { reason: "ContainerCreating", message: this.#podMessage });
      this.#soon(RETRY_MS * 5);
      return undefined;
    }
    this.#podMessage = undefined;
    this.#log.info("sandbox started", { attempt, id: id.slice(0, 12) });
    return runtime.inspectContainer(id);
  }

  #collectGarbage(obs: Observed, sandboxId: string): Promise<boolean> {
    const known = new Set([...(this.#pod.spec.initContainers ?? []), ...this.#pod.spec.containers].map((c) => c.name));
    return collectGarbage(this.#deps.runtime, obs, known, sandboxId);
  }

  /** Records an Event about the pod, or about container `c` (by its field path) when given. */
  #event(type: "Normal" | "Warning", reason: string, message: string, c?: Container, role?: "init" | "app"): void {
    const fieldPath = c ? `spec.${role === "init" ? "initContainers" : "containers"}{${c.name}}` : undefined;
    this.#deps.recordEvent(this.#pod, type, reason, message, fieldPath);
  }

  #graceSeconds(): number {
    const m = this.#pod.metadata;
    return m.deletionGracePeriodSeconds ?? this.#pod.spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
  }

  async #terminate(obs: Observed): Promise<void> {
    const pod = this.#pod;
    this.#prober.stop();
    const grace = this.#graceSeconds();
    for (const c of pod.spec.containers) if (obs.app.get(c.name)?.[0]?.running) this.#event("Normal", "Killing", `Stopping container ${c.name}`, c, "app");
    await stopAndRemoveAll(this.#deps.runtime, obs, grace);
    await rm(join(this.#deps.podsDir, pod.metadata.uid ?? ""), { recursive: true, force: true });
    this.#deps.restarts.resetPrefix(`${pod.metadata.uid}/`);
    this.#log.info("pod terminated", { containers: obs.all.length, graceSeconds: grace });
    await this.#deps.confirmDeletion(pod);
  }

  async #report(obs: Observed, podIP: string): Promise<false> {
    const running = this.#pod.spec.containers.flatMap((c) => {
      const latest = obs.app.get(c.name)?.[0];
      return latest?.running ? [{ id: latest.id, container: c, startedAtMs: Date.parse(latest.startedAt ?? "") || Date.now() }] : [];
    });
    this.#prober.sync(running, podIP);
    const sandbox = obs.sandboxes.find((s) => s.running);
    const status = computePodStatus({
      pod: this.#pod,
      init: obs.init,
      app: obs.app,
      waiting: this.#waiting,
      probe: (id) => this.#prober.state(id),
      initDone: !!sandbox && this.#initDone(obs, sandbox.id),
      podIP,
      hostIP: this.#deps.hostIP(),
      startTime: this.#startTime,
      previous: this.#lastStatus,
      podMessage: this.#podMessage,
    });
    const json = JSON.stringify(status);
    if (json !== this.#lastStatusJson || Date.now() - this.#lastSentMs >= this.#deps.statusResendMs) {
      if (json !== this.#lastStatusJson) this.#log.debug("pod status changed", { phase: status.phase });
      await this.#deps.reportStatus(this.#pod, status);
      this.#lastStatusJson = json;
      this.#lastSentMs = Date.now();
    }
    this.#lastStatus = status;
    return false;
  }
}

type SyncContext = { sandbox: ContainerDetails; volumes: Map<string, PreparedVolume>; facts: { podIP: string; hostIP: string; nodeName: string } };
