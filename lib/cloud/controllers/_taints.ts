/**
 * Taints and tolerations: which node taints a pod tolerates, for the scheduler's filter. PreferNoSchedule is a
 * preference only, so it never blocks a pod.
 *
 * @module
 */
import type { V1Taint, V1Toleration } from "@kubernetes/client-node";

/** True when the toleration covers the taint (same key or an empty key with Exists, value, and effect). */
export function tolerates(toleration: V1Toleration, taint: V1Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  const operator = toleration.operator ?? "Equal";
  if (!toleration.key) return operator === "Exists";
  if (toleration.key !== taint.key) return false;
  if (operator === "Exists") return true;
  return operator === "Equal" && (toleration.value ?? "") === (taint.value ?? "");
}

/**
 * The first taint with a NoSchedule or NoExecute effect that no toleration covers.
 *
 * @returns the taint, or undefined when the pod tolerates the node
 */
export function untoleratedTaint(taints: readonly V1Taint[] | undefined, tolerations: readonly V1Toleration[] | undefined): V1Taint | undefined {
  return (taints ?? []).find(
    (t) => (t.effect === "NoSchedule" || t.effect === "NoExecute") && !(tolerations ?? []).some((tol) => tolerates(tol, t)),
  );
}
