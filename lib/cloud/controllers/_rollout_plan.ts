/**
 * The arithmetic of a Deployment rollout, free of I/O: how far the new ReplicaSet may grow (maxSurge), how far old
 * ones may shrink without going below the available minimum (maxUnavailable), and how a change of `replicas` in the
 * middle of a rollout is spread over the active ReplicaSets in proportion to their sizes.
 *
 * @module
 */
import type { V1Deployment, V1ReplicaSet } from "@kubernetes/client-node";
import { desiredReplicasOf, maxReplicasOf } from "./_deployment_revision.ts";
import { timeMs } from "./_time.ts";

/** Target sizes by ReplicaSet name. */
export type ScalePlan = Map<string, number>;

/** `spec.replicas` of a ReplicaSet. */
export function specReplicas(rs: V1ReplicaSet | undefined): number {
  return rs?.spec?.replicas ?? 0;
}

function available(rs: V1ReplicaSet): number {
  return rs.status?.availableReplicas ?? 0;
}

function total(sets: readonly V1ReplicaSet[]): number {
  return sets.reduce((n, rs) => n + specReplicas(rs), 0);
}

/** Oldest first (creation time, then name): the order old ReplicaSets are scaled down in. */
export function oldestFirst(sets: readonly V1ReplicaSet[]): V1ReplicaSet[] {
  const created = (rs: V1ReplicaSet) => timeMs(rs.metadata?.creationTimestamp) ?? 0;
  return [...sets].sort((a, b) => created(a) - created(b) || (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
}

/**
 * The size of the new ReplicaSet in a rolling update: grow toward `replicas` while all ReplicaSets together stay
 * within replicas + surge.
 */
export function rollingNewReplicas(replicas: number, surge: number, all: readonly V1ReplicaSet[], newRS: V1ReplicaSet | undefined): number {
  const current = specReplicas(newRS);
  if (current >= replicas) return replicas;
  const room = replicas + surge - total(all);
  if (room <= 0) return current;
  return current + Math.min(room, replicas - current);
}

/**
 * How old ReplicaSets shrink in a rolling update: first their unavailable pods (which cost no availability), then
 * available ones down to `replicas - unavailable` available pods in total, oldest ReplicaSet first.
 *
 * @returns the new sizes of the old ReplicaSets that change
 */
export function rollingOldScaleDown(replicas: number, unavailable: number, newRS: V1ReplicaSet | undefined, old: readonly V1ReplicaSet[]): ScalePlan {
  const plan: ScalePlan = new Map();
  if (total(old) === 0) return plan;
  const all = newRS ? [newRS, ...old] : [...old];
  const minAvailable = replicas - unavailable;
  const newUnavailable = Math.max(0, specReplicas(newRS) - (newRS ? available(newRS) : 0));
  let cleanup = total(all) - minAvailable - newUnavailable;
  if (cleanup <= 0) return plan;
  const size = (rs: V1ReplicaSet) => plan.get(rs.metadata!.name!) ?? specReplicas(rs);
  const ordered = oldestFirst(old);
  for (const rs of ordered) {
    if (cleanup <= 0) break;
    const unhealthy = size(rs) - available(rs);
    if (unhealthy <= 0) continue;
    const down = Math.min(cleanup, unhealthy);
    plan.set(rs.metadata!.name!, size(rs) - down);
    cleanup -= down;
  }
  let excess = all.reduce((n, rs) => n + available(rs), 0) - minAvailable;
  for (const rs of ordered) {
    if (excess <= 0) break;
    const down = Math.min(size(rs), excess);
    if (down <= 0) continue;
    plan.set(rs.metadata!.name!, size(rs) - down);
    excess -= down;
  }
  return plan;
}

/** True when an active ReplicaSet was sized for another `replicas` than the Deployment's: the user scaled. */
export function isScalingEvent(d: V1Deployment, all: readonly V1ReplicaSet[]): boolean {
  const replicas = d.spec?.replicas ?? 1;
  return all.some((rs) => specReplicas(rs) > 0 && desiredReplicasOf(rs) !== undefined && desiredReplicasOf(rs) !== replicas);
}

/**
 * Sizes after the Deployment's `replicas` changed. One active ReplicaSet (or none: the newest) simply takes the new
 * count; a saturated new ReplicaSet ends the old ones; otherwise the difference to replicas + surge is spread over
 * the active ReplicaSets in proportion to their sizes, the remainder going to the largest.
 *
 * @param all the new ReplicaSet (if any) and the old ones
 */
export function proportionalScale(d: V1Deployment, surge: number, newRS: V1ReplicaSet | undefined, all: readonly V1ReplicaSet[]): ScalePlan {
  const replicas = d.spec?.replicas ?? 1;
  const plan: ScalePlan = new Map();
  const active = all.filter((rs) => specReplicas(rs) > 0);
  if (active.length <= 1) {
    const target = active[0] ?? newRS ?? newestOf(all);
    if (target && specReplicas(target) !== replicas) plan.set(target.metadata!.name!, replicas);
    return plan;
  }
  if (newRS && specReplicas(newRS) === replicas && available(newRS) === replicas) {
    for (const rs of active) if (rs !== newRS) plan.set(rs.metadata!.name!, 0);
    return plan;
  }
  const allowed = replicas + surge;
  const toAdd = allowed - total(active);
  if (toAdd === 0) return plan;
  const created = (rs: V1ReplicaSet) => timeMs(rs.metadata?.creationTimestamp) ?? 0;
  // Growing favours newer sets on equal sizes, shrinking favours older ones.
  const ordered = [...active].sort((a, b) => specReplicas(b) - specReplicas(a) || (toAdd > 0 ? created(b) - created(a) : created(a) - created(b)));
  let added = 0;
  for (const rs of ordered) {
    const size = specReplicas(rs);
    const before = maxReplicasOf(rs) || d.status?.replicas || total(active);
    const share = replicas === 0 ? -size : Math.round((size * allowed) / before) - size;
    const left = toAdd - added;
    const step = toAdd > 0 ? Math.min(share, left) : Math.max(share, left);
    plan.set(rs.metadata!.name!, size + step);
    added += step;
  }
  const first = ordered[0]!.metadata!.name!;
  plan.set(first, Math.max(0, plan.get(first)! + toAdd - added));
  for (const [name, n] of plan) if (n < 0) plan.set(name, 0);
  return plan;
}

function newestOf(sets: readonly V1ReplicaSet[]): V1ReplicaSet | undefined {
  return oldestFirst(sets).at(-1);
}
