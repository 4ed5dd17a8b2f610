/**
 * Which pods a ReplicaSet deletes first when it scales down: the ones whose loss hurts least. In order: not yet
 * scheduled, then Pending before Unknown before Running, not Ready before Ready, pods on crowded nodes (more pods
 * of the same set) first, Ready for the shortest time, most restarts, and newest.
 *
 * @module
 */
import type { V1Pod } from "@kubernetes/client-node";
import { isPodReady, readySinceMs } from "./_pod_status.ts";
import { timeMs } from "./_time.ts";

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function restarts(pod: V1Pod): number {
  return (pod.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
}

/**
 * Sorts pods so the first ones are deleted first.
 *
 * @param pods the ReplicaSet's active pods (not changed)
 * @returns a new array in deletion order
 */
export function deletionOrder(pods: readonly V1Pod[]): V1Pod[] {
  const perNode = new Map<string, number>();
  for (const p of pods) if (p.spec?.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
  const key = (p: V1Pod) => ({
    assigned: p.spec?.nodeName ? 1 : 0,
    phase: PHASE_RANK[p.status?.phase ?? "Pending"] ?? 0,
    ready: isPodReady(p) ? 1 : 0,
    crowd: p.spec?.nodeName ? perNode.get(p.spec.nodeName)! : 0,
    readySince: readySinceMs(p) ?? 0,
    restarts: restarts(p),
    created: timeMs(p.metadata?.creationTimestamp) ?? 0,
  });
  const keyed = pods.map((p) => ({ p, k: key(p) }));
  keyed.sort((a, b) =>
    a.k.assigned - b.k.assigned ||
    a.k.phase - b.k.phase ||
    a.k.ready - b.k.ready ||
    b.k.crowd - a.k.crowd ||
    (a.k.ready && b.k.ready ? b.k.readySince - a.k.readySince : 0) ||
    b.k.restarts - a.k.restarts ||
    b.k.created - a.k.created,
  );
  return keyed.map((x) => x.p);
}
