/**
 * The status a Deployment reports, with the conditions and reasons `kubectl rollout status` and `describe` read:
 * Available (MinimumReplicasAvailable / MinimumReplicasUnavailable) and Progressing (NewReplicaSetCreated,
 * FoundNewReplicaSet, ReplicaSetUpdated, NewReplicaSetAvailable, ProgressDeadlineExceeded, DeploymentPaused,
 * DeploymentResumed).
 *
 * @module
 */
import type { V1Deployment, V1DeploymentCondition, V1DeploymentStatus, V1ReplicaSet } from "@kubernetes/client-node";
import { apiTime, timeMs } from "./_time.ts";

/** What the sync did, which decides the Progressing reason. */
export type RolloutEvent = "created" | "none";

/** The new status and, while a rollout runs, when to look again for its progress deadline. */
export type DeploymentStatusResult = { status: V1DeploymentStatus; deadlineInMs?: number };

type Condition = V1DeploymentCondition;

function sum(sets: readonly V1ReplicaSet[], pick: (rs: V1ReplicaSet) => number | undefined): number {
  return sets.reduce((n, rs) => n + (pick(rs) ?? 0), 0);
}

function condition(type: string, status: string, reason: string, message: string, now: string): Condition {
  return { type, status, reason, message, lastUpdateTime: now as unknown as Date, lastTransitionTime: now as unknown as Date };
}

/** Puts a condition in the list; an unchanged status and reason keeps the old one unless `touch` asks to renew it. */
function setCondition(list: Condition[], next: Condition, touch = false): Condition[] {
  const current = list.find((c) => c.type === next.type);
  if (current && current.status === next.status && current.reason === next.reason && !touch) return list;
  if (current && current.status === next.status) next.lastTransitionTime = current.lastTransitionTime;
  return [...list.filter((c) => c.type !== next.type), next];
}

/**
 * Computes the Deployment's status from its ReplicaSets.
 *
 * @param newRS the ReplicaSet of the current template, if it exists
 * @param all every ReplicaSet of the Deployment, the new one included
 * @param unavailable the rollout's maxUnavailable, resolved
 */
export function deploymentStatus(
  d: V1Deployment, newRS: V1ReplicaSet | undefined, all: readonly V1ReplicaSet[], unavailable: number, event: RolloutEvent, nowMs = Date.now(),
): DeploymentStatusResult {
  const replicas = d.spec?.replicas ?? 1;
  const now = apiTime(nowMs);
  const prev = d.status ?? {};
  const availableReplicas = sum(all, (rs) => rs.status?.availableReplicas);
  const status: V1DeploymentStatus = {
    observedGeneration: d.metadata?.generation,
    replicas: sum(all, (rs) => rs.status?.replicas),
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sum(all, (rs) => rs.status?.readyReplicas),
    availableReplicas,
    unavailableReplicas: Math.max(0, sum(all, (rs) => rs.spec?.replicas) - availableReplicas),
  };
  if (prev.collisionCount !== undefined) status.collisionCount = prev.collisionCount;
  let conditions = [...(prev.conditions ?? [])];
  conditions = availableReplicas >= replicas - unavailable
    ? setCondition(conditions, condition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now))
    : setCondition(conditions, condition("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now));
  const rsName = newRS?.metadata?.name ?? "";
  const progressing = conditions.find((c) => c.type === "Progressing");
  let deadlineInMs: number | undefined;
  const complete = status.updatedReplicas === replicas && status.replicas === replicas && availableReplicas === replicas;
  if (d.spec?.paused) {
    conditions = setCondition(conditions, condition("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", now));
  } else if (progressing?.reason === "DeploymentPaused") {
    conditions = setCondition(conditions, condition("Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed", now));
  } else if (complete && newRS) {
    conditions = setCondition(conditions, condition("Progressing", "True", "NewReplicaSetAvailable", `ReplicaSet "${rsName}" has successfully progressed.`, now));
  } else if (event === "created" && newRS) {
    conditions = setCondition(conditions, condition("Progressing", "True", "NewReplicaSetCreated", `Created new replica set "${rsName}"`, now), true);
  } else if (newRS && !progressing) {
    conditions = setCondition(conditions, condition("Progressing", "True", "FoundNewReplicaSet", `Found new replica set "${rsName}"`, now), true);
  } else if (newRS && madeProgress(prev, status)) {
    conditions = setCondition(conditions, condition("Progressing", "True", "ReplicaSetUpdated", `ReplicaSet "${rsName}" is progressing.`, now), true);
  } else if (progressing && progressing.reason !== "NewReplicaSetAvailable" && progressing.reason !== "ProgressDeadlineExceeded") {
    const deadlineMs = (timeMs(progressing.lastUpdateTime) ?? nowMs) + (d.spec?.progressDeadlineSeconds ?? 600) * 1000;
    if (deadlineMs <= nowMs) {
      conditions = setCondition(conditions, condition("Progressing", "False", "ProgressDeadlineExceeded", `ReplicaSet "${rsName}" has timed out progressing.`, now));
    } else deadlineInMs = deadlineMs - nowMs;
  }
  const after = conditions.find((c) => c.type === "Progressing");
  if (deadlineInMs === undefined && after?.status === "True" && after.reason !== "NewReplicaSetAvailable") {
    deadlineInMs = (timeMs(after.lastUpdateTime) ?? nowMs) + (d.spec?.progressDeadlineSeconds ?? 600) * 1000 - nowMs;
  }
  // Available first, then Progressing, as `kubectl describe` shows them.
  const order = (c: Condition) => (c.type === "Available" ? 0 : c.type === "Progressing" ? 1 : 2);
  status.conditions = conditions.sort((a, b) => order(a) - order(b));
  return { status, deadlineInMs };
}

/** True when the rollout moved forward since the last status (more updated, ready or available pods, fewer old). */
function madeProgress(prev: V1DeploymentStatus, next: V1DeploymentStatus): boolean {
  const n = (v: number | undefined) => v ?? 0;
  const oldPods = (s: V1DeploymentStatus) => n(s.replicas) - n(s.updatedReplicas);
  return n(next.updatedReplicas) > n(prev.updatedReplicas) || n(next.readyReplicas) > n(prev.readyReplicas) ||
    n(next.availableReplicas) > n(prev.availableReplicas) || oldPods(next) < oldPods(prev);
}

/** True when the status differs from the current one in anything a reader sees. */
export function deploymentStatusChanged(current: V1DeploymentStatus | undefined, next: V1DeploymentStatus): boolean {
  const c = current ?? {};
  const n = (v: number | undefined) => v ?? 0;
  const conds = (s: V1DeploymentStatus) => JSON.stringify((s.conditions ?? []).map((x) => [x.type, x.status, x.reason, x.message, String(x.lastUpdateTime)]));
  return n(c.observedGeneration) !== n(next.observedGeneration) || n(c.replicas) !== n(next.replicas) ||
    n(c.updatedReplicas) !== n(next.updatedReplicas) || n(c.readyReplicas) !== n(next.readyReplicas) ||
    n(c.availableReplicas) !== n(next.availableReplicas) || n(c.unavailableReplicas) !== n(next.unavailableReplicas) ||
    n(c.collisionCount) !== n(next.collisionCount) || conds(c) !== conds(next);
}
