/**
 * Computes a PodStatus from what the engine shows (the pod's containers by attempt), what the last sync could not do
 * (waiting reasons such as ErrImagePull or CrashLoopBackOff) and what the probes say. Phase and conditions follow
 * the kubelet's rules; a condition keeps its lastTransitionTime while its status does not change.
 *
 * @module
 */
import type { ProbeState } from "./pod_prober.ts";
import type { ContainerDetails } from "./runtime/index.ts";
import { attemptOf } from "./labels.ts";
import type { Container, ContainerState, ContainerStatus, Pod, PodCondition, PodStatus } from "./types.ts";

/** A container that is not running for a reason the engine cannot show. */
export type Waiting = { reason: string; message?: string };

/** Everything a status is computed from. Container lists are ordered newest attempt first. */
export type StatusInput = {
  pod: Pod;
  init: ReadonlyMap<string, ContainerDetails[]>;
  app: ReadonlyMap<string, ContainerDetails[]>;
  waiting: ReadonlyMap<string, Waiting>;
  probe: (id: string) => ProbeState;
  initDone: boolean;
  podIP: string;
  hostIP: string;
  startTime?: string;
  previous?: PodStatus;
  /** Set when the pod cannot run at all (e.g. its sandbox cannot be created). */
  podMessage?: string;
};

/** The pod's status now. */
export function computePodStatus(input: StatusInput): PodStatus {
  const { pod } = input;
  const policy = pod.spec.restartPolicy ?? "Always";
  const initStatuses = (pod.spec.initContainers ?? []).map((c) => containerStatus(c, input, true));
  const appStatuses = pod.spec.containers.map((c) => containerStatus(c, input, false));

  let phase: PodStatus["phase"];
  const initFailed = initStatuses.some((s) => s.state.terminated && s.state.terminated.exitCode !== 0);
  if (!input.initDone) {
    phase = initFailed && policy === "Never" ? "Failed" : "Pending";
  } else {
    let running = 0, waiting = 0, succeeded = 0, failed = 0;
    for (const s of appStatuses) {
      if (s.state.running) running++;
      else if (s.state.terminated) s.state.terminated.exitCode === 0 ? succeeded++ : failed++;
      else if (s.lastState.terminated) running++; // restarting after a crash counts as running
      else waiting++;
    }
    if (waiting > 0) phase = "Pending";
    else if (running > 0) phase = "Running";
    else if (policy === "Always") phase = "Running";
    else if (failed > 0) phase = policy === "OnFailure" ? "Running" : "Failed";
    else phase = "Succeeded";
  }

  const unready = appStatuses.filter((s) => !s.ready).map((s) => s.name);
  const now = new Date().toISOString();
  const prev = new Map((input.previous?.conditions ?? []).map((c) => [c.type, c]));
  const cond = (type: string, ok: boolean, reason?: string, message?: string): PodCondition => {
    const status = ok ? "True" : "False";
    const p = prev.get(type);
    const c: PodCondition = { type, status, lastProbeTime: null, lastTransitionTime: p && p.status === status ? p.lastTransitionTime : now };
    if (!ok && reason) c.reason = reason;
    if (!ok && message) c.message = message;
    return c;
  };
  const terminal = phase === "Succeeded" || phase === "Failed";
  const notReady = terminal ? "PodCompleted" : "ContainersNotReady";
  const unreadyMsg = `containers with unready status: [${unready.join(" ")}]`;
  const uninit = initStatuses.filter((s) => !s.ready).map((s) => s.name);
  const status: PodStatus = {
    phase,
    conditions: [
      cond("Initialized", input.initDone, "ContainersNotInitialized", `containers with incomplete status: [${uninit.join(" ")}]`),
      cond("Ready", unready.length === 0, notReady, unreadyMsg),
      cond("ContainersReady", unready.length === 0, notReady, unreadyMsg),
      cond("PodScheduled", true),
    ],
    hostIP: input.hostIP,
    containerStatuses: appStatuses,
    qosClass: qosClass(pod),
  };
  if (input.podIP) {
    status.podIP = input.podIP;
    status.podIPs = [{ ip: input.podIP }];
  }
  if (input.startTime) status.startTime = input.startTime;
  if (initStatuses.length) status.initContainerStatuses = initStatuses;
  if (input.podMessage) status.message = input.podMessage;
  return status;
}

function containerStatus(c: Container, input: StatusInput, isInit: boolean): ContainerStatus {
  const list = (isInit ? input.init : input.app).get(c.name) ?? [];
  const [latest, previous] = list;
  const w = input.waiting.get(c.name);
  let state: ContainerState;
  let lastState: ContainerState = previous ? terminated(previous) : {};
  let ready = false;
  let started = false;
  if (latest?.running && !w) {
    state = { running: { startedAt: latest.startedAt ?? new Date(latest.createdMs).toISOString() } };
    const p = input.probe(latest.id);
    started = p.started;
    ready = isInit ? false : p.started && p.ready;
  } else if (w) {
    state = { waiting: { ...w } };
    if (latest && !latest.running && latest.finishedAt) lastState = terminated(latest);
  } else if (latest && latest.finishedAt) {
    state = terminated(latest);
    ready = isInit && latest.exitCode === 0;
  } else {
    state = { waiting: { reason: !isInit && !input.initDone ? "PodInitializing" : "ContainerCreating" } };
  }
  const s: ContainerStatus = {
    name: c.name,
    state,
    lastState,
    ready,
    restartCount: latest ? attemptOf(latest.labels) : 0,
    image: c.image ?? "",
    imageID: latest ? `docker://${latest.imageId}` : "",
  };
  if (!isInit) s.started = started;
  if (latest) s.containerID = `docker://${latest.id}`;
  return s;
}

function terminated(d: ContainerDetails): ContainerState {
  const reason = d.oomKilled ? "OOMKilled" : d.exitCode === 0 ? "Completed" : "Error";
  const t: NonNullable<ContainerState["terminated"]> = { exitCode: d.exitCode, reason, containerID: `docker://${d.id}` };
  if (d.startedAt) t.startedAt = d.startedAt;
  if (d.finishedAt) t.finishedAt = d.finishedAt;
  if (d.error) t.message = d.error;
  return { terminated: t };
}

/** Guaranteed when every container has equal cpu and memory requests and limits, BestEffort with none at all. */
function qosClass(pod: Pod): string {
  const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  let any = false, guaranteed = true;
  for (const c of all) {
    const l = c.resources?.limits ?? {}, r = c.resources?.requests ?? {};
    if (Object.keys(l).length || Object.keys(r).length) any = true;
    for (const res of ["cpu", "memory"]) {
      if (l[res] === undefined || (r[res] !== undefined && String(r[res]) !== String(l[res]))) guaranteed = false;
    }
  }
  return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
}
