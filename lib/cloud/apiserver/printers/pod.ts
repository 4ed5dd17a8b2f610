/**
 * The Pod printer: NAME READY STATUS RESTARTS AGE, wide IP NODE NOMINATED NODE READINESS GATES
 * (printers.go printPod).
 */
import { AGE_COLUMN, NAME_COLUMN, ageSince, column, type Meta } from "./_columns.ts";
import { humanDuration } from "./human_duration.ts";
import type { KindPrinter, TableCell, TableRowCondition } from "./types.ts";

interface ContainerState {
  waiting?: { reason?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; signal?: number; finishedAt?: string };
}

interface ContainerStatus {
  name: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

interface Pod {
  metadata?: Meta;
  spec?: {
    nodeName?: string;
    containers?: { name: string }[];
    initContainers?: { name: string; restartPolicy?: string }[];
    readinessGates?: { conditionType: string }[];
  };
  status?: {
    phase?: string;
    reason?: string;
    nominatedNodeName?: string;
    podIPs?: { ip: string }[];
    conditions?: { type: string; status: string; reason?: string }[];
    initContainerStatuses?: ContainerStatus[];
    containerStatuses?: ContainerStatus[];
  };
}

/** The reason the node lifecycle controller gives pods on a lost node; such pods read "Unknown" while deleting. */
const NODE_LOST_REASON = "NodeLost";

/** The restart tally and the latest restart moment (ms since epoch, 0 for none). */
interface Restarts { count: number; lastAt: number }

function noteRestart(tally: Restarts, status: ContainerStatus): void {
  tally.count += status.restartCount ?? 0;
  const finishedAt = status.lastState?.terminated?.finishedAt;
  const at = finishedAt ? Date.parse(finishedAt) : NaN;
  if (!Number.isNaN(at) && at > tally.lastAt) tally.lastAt = at;
}

function hasCondition(pod: Pod, type: string): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === type && c.status === "True");
}

/** The Initialized condition counts only from its first entry, as in printers.go. */
function isInitialized(pod: Pod): boolean {
  const c = (pod.status?.conditions ?? []).find((x) => x.type === "Initialized");
  return c?.status === "True";
}

function podCells(object: object, now: Date): TableCell[] {
  const pod = object as Pod;
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const initSpecs = new Map((spec.initContainers ?? []).map((c) => [c.name, c]));
  const isSidecar = (name: string) => initSpecs.get(name)?.restartPolicy === "Always";

  const sidecarCount = (spec.initContainers ?? []).filter((c) => c.restartPolicy === "Always").length;
  const total = (spec.containers ?? []).length + sidecarCount;
  let ready = 0;
  let reason = status.reason || status.phase || "";
  for (const c of status.conditions ?? []) {
    if (c.type === "PodScheduled" && c.reason === "SchedulingGated") reason = "SchedulingGated";
  }

  const all: Restarts = { count: 0, lastAt: 0 };
  const sidecars: Restarts = { count: 0, lastAt: 0 };
  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    noteRestart(all, c);
    if (isSidecar(c.name)) noteRestart(sidecars, c);
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (isSidecar(c.name) && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (terminated) {
      if (terminated.reason) reason = `Init:${terminated.reason}`;
      else if (terminated.signal) reason = `Init:Signal:${terminated.signal}`;
      else reason = `Init:ExitCode:${terminated.exitCode ?? 0}`;
    } else if (waiting?.reason && waiting.reason !== "PodInitializing") {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }

  let restarts = all;
  if (!initializing || isInitialized(pod)) {
    // Once initialised, only sidecar restarts count among the init containers.
    restarts = sidecars;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    // Walk from the last container to the first, so the first container's state has the final say.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      noteRestart(restarts, c);
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated?.signal) reason = `Signal:${terminated.signal}`;
      else if (terminated) reason = `ExitCode:${terminated.exitCode ?? 0}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === "Completed" && hasRunning) reason = hasCondition(pod, "Ready") ? "Running" : "NotReady";
  }

  const deleting = Boolean(pod.metadata?.deletionTimestamp);
  if (deleting && status.reason === NODE_LOST_REASON) reason = "Unknown";
  else if (deleting && status.phase !== "Succeeded" && status.phase !== "Failed") reason = "Terminating";

  let restartText = String(restarts.count);
  if (restarts.count !== 0 && restarts.lastAt !== 0) {
    restartText = `${restarts.count} (${humanDuration(now.getTime() - restarts.lastAt)} ago)`;
  }

  let gates = "<none>";
  const readinessGates = spec.readinessGates ?? [];
  if (readinessGates.length > 0) {
    let passed = 0;
    for (const gate of readinessGates) {
      const c = (status.conditions ?? []).find((x) => x.type === gate.conditionType);
      if (c?.status === "True") passed++;
    }
    gates = `${passed}/${readinessGates.length}`;
  }

  return [
    pod.metadata?.name ?? "",
    `${ready}/${total}`,
    reason,
    restartText,
    ageSince(pod.metadata?.creationTimestamp, now),
    status.podIPs?.[0]?.ip || "<none>",
    spec.nodeName || "<none>",
    status.nominatedNodeName || "<none>",
    gates,
  ];
}

function podConditions(object: object): TableRowCondition[] | undefined {
  switch ((object as Pod).status?.phase) {
    case "Succeeded":
      return [{
        type: "Completed", status: "True", reason: "Succeeded", message: "The pod has completed successfully.",
      }];
    case "Failed":
      return [{ type: "Completed", status: "True", reason: "Failed", message: "The pod failed." }];
    default:
      return undefined;
  }
}

/** Prints pods the way the apiserver does for `kubectl get pods`. */
export const podPrinter: KindPrinter = {
  columns: [
    NAME_COLUMN,
    column("Ready", "Ready containers out of all containers, sidecars included."),
    column("Status", "The pod phase, or the reason a container or the pod itself gives."),
    column("Restarts", "Container restarts, and how long ago the latest one ended."),
    AGE_COLUMN,
    column("IP", "The pod's first IP address.", { wide: true }),
    column("Node", "The node the pod is bound to.", { wide: true }),
    column("Nominated Node", "The node the scheduler nominated while preempting.", { wide: true }),
    column("Readiness Gates", "Readiness gates whose condition is True, out of all gates.", { wide: true }),
  ],
  cells: podCells,
  conditions: podConditions,
};
