/**
 * The annotations through which Deployments, their ReplicaSets and `kubectl rollout history|undo` agree on
 * revisions and sizes: each ReplicaSet carries the revision of the rollout that last made it the new one (and the
 * revisions it had before), the Deployment carries its current revision, and active ReplicaSets carry the replica
 * counts they were sized for (to tell a scaling event from a rollout).
 *
 * @module
 */
import type { KubernetesObject, V1Deployment, V1ReplicaSet } from "@kubernetes/client-node";

/** The rollout revision of a ReplicaSet (and of its Deployment). */
export const REVISION_ANNOTATION = "deployment.kubernetes.io/revision";
/** Earlier revisions of a ReplicaSet that was rolled back to, comma separated. */
const REVISION_HISTORY_ANNOTATION = "deployment.kubernetes.io/revision-history";
/** The Deployment's replicas when the ReplicaSet was last sized. */
const DESIRED_REPLICAS_ANNOTATION = "deployment.kubernetes.io/desired-replicas";
/** The Deployment's replicas plus maxSurge when the ReplicaSet was last sized. */
const MAX_REPLICAS_ANNOTATION = "deployment.kubernetes.io/max-replicas";

// Deployment annotations that are not copied to its ReplicaSets.
const NOT_COPIED = new Set([
  "kubectl.kubernetes.io/last-applied-configuration", REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION,
]);

/** The revision of an object, 0 when it has none. */
export function revisionOf(obj: KubernetesObject | undefined): number {
  const v = obj?.metadata?.annotations?.[REVISION_ANNOTATION];
  return v && /^\d+$/.test(v) ? Number(v) : 0;
}

/** The highest revision among ReplicaSets. */
export function maxRevision(sets: readonly V1ReplicaSet[]): number {
  return sets.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/** The size annotations of a ReplicaSet sized for the Deployment. */
export function sizeAnnotations(d: V1Deployment, surge: number): Record<string, string> {
  const replicas = d.spec?.replicas ?? 1;
  return { [DESIRED_REPLICAS_ANNOTATION]: String(replicas), [MAX_REPLICAS_ANNOTATION]: String(replicas + surge) };
}

/** The desired-replicas annotation of a ReplicaSet, undefined when absent. */
export function desiredReplicasOf(rs: V1ReplicaSet): number | undefined {
  const v = rs.metadata?.annotations?.[DESIRED_REPLICAS_ANNOTATION];
  return v && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** The max-replicas annotation of a ReplicaSet, undefined when absent. */
export function maxReplicasOf(rs: V1ReplicaSet): number | undefined {
  const v = rs.metadata?.annotations?.[MAX_REPLICAS_ANNOTATION];
  return v && /^\d+$/.test(v) ? Number(v) : undefined;
}

/**
 * The annotations the new ReplicaSet of a rollout must have: the Deployment's own (like kubernetes.io/change-cause,
 * which `rollout history` shows), the sizes, and `revision` raised to `newRevision` with the old one kept in the
 * history when it is lower.
 *
 * @param current the ReplicaSet's annotations now ({} for a ReplicaSet about to be created)
 */
export function newReplicaSetAnnotations(d: V1Deployment, current: Record<string, string>, newRevision: number, surge: number): Record<string, string> {
  const out: Record<string, string> = { ...current };
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) if (!NOT_COPIED.has(k)) out[k] = v;
  const old = current[REVISION_ANNOTATION];
  const oldNumber = old && /^\d+$/.test(old) ? Number(old) : 0;
  if (oldNumber < newRevision) {
    out[REVISION_ANNOTATION] = String(newRevision);
    if (oldNumber > 0) out[REVISION_HISTORY_ANNOTATION] = current[REVISION_HISTORY_ANNOTATION] ? `${current[REVISION_HISTORY_ANNOTATION]},${old}` : old!;
  }
  return { ...out, ...sizeAnnotations(d, surge) };
}
