/**
 * The status a ReplicaSet reports from its active pods: replicas, fullyLabeledReplicas, readyReplicas,
 * availableReplicas (Ready for minReadySeconds), observedGeneration, and the ReplicaFailure condition while pod
 * creation or deletion fails.
 *
 * @module
 */
import type { V1Pod, V1ReplicaSet, V1ReplicaSetCondition, V1ReplicaSetStatus } from "@kubernetes/client-node";
import { isPodAvailable, isPodReady, readySinceMs } from "./_pod_status.ts";
import { apiTime } from "./_time.ts";

/** A failure to report in the ReplicaFailure condition. */
export type ReplicaFailure = { reason: "FailedCreate" | "FailedDelete"; message: string };

/**
 * The new status, and when a Ready pod will have been Ready for minReadySeconds (so availability is checked again).
 *
 * @param active the ReplicaSet's active pods
 */
export function replicaSetStatus(rs: V1ReplicaSet, active: readonly V1Pod[], failure: ReplicaFailure | undefined, nowMs = Date.now()): { status: V1ReplicaSetStatus; recheckInMs?: number } {
  const minReady = rs.spec?.minReadySeconds ?? 0;
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  let fullyLabeled = 0, ready = 0, available = 0;
  let recheckInMs: number | undefined;
  for (const p of active) {
    const labels = p.metadata?.labels ?? {};
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (!isPodReady(p)) continue;
    ready++;
    if (isPodAvailable(p, minReady, nowMs)) available++;
    else {
      const wait = readySinceMs(p)! + minReady * 1000 - nowMs;
      recheckInMs = Math.min(recheckInMs ?? wait, wait);
    }
  }
  const previous = rs.status?.conditions?.find((c) => c.type === "ReplicaFailure");
  const others = (rs.status?.conditions ?? []).filter((c) => c.type !== "ReplicaFailure");
  const conditions: V1ReplicaSetCondition[] = [...others];
  if (failure) {
    const same = previous?.status === "True" && previous.reason === failure.reason && previous.message === failure.message;
    conditions.push(same ? previous : { type: "ReplicaFailure", status: "True", reason: failure.reason, message: failure.message, lastTransitionTime: apiTime() as unknown as Date });
  }
  const status: V1ReplicaSetStatus = {
    replicas: active.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.metadata?.generation,
  };
  if (conditions.length) status.conditions = conditions;
  return { status, recheckInMs };
}

/** True when two statuses differ in what the ReplicaSet reports. */
export function replicaSetStatusChanged(current: V1ReplicaSetStatus | undefined, next: V1ReplicaSetStatus): boolean {
  const c = current ?? ({ replicas: 0 } as V1ReplicaSetStatus);
  const n = (v: number | undefined) => v ?? 0;
  const conds = (s: V1ReplicaSetStatus) => JSON.stringify((s.conditions ?? []).map((x) => [x.type, x.status, x.reason, x.message]));
  return n(c.replicas) !== n(next.replicas) || n(c.fullyLabeledReplicas) !== n(next.fullyLabeledReplicas) ||
    n(c.readyReplicas) !== n(next.readyReplicas) || n(c.availableReplicas) !== n(next.availableReplicas) ||
    n(c.observedGeneration) !== n(next.observedGeneration) || conds(c) !== conds(next);
}
