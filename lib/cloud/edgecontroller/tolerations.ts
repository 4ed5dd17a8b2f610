/**
 * Edge autonomy against a real cluster's node-lifecycle controller, which evicts pods from an unreachable node after
 * 5 minutes: pods bound to edge nodes get the unreachable and not-ready NoExecute tolerations with no
 * tolerationSeconds, so they stay bound while the link is down. A pod opts out with the annotation below set to
 * "true". Adding tolerations to a running pod is allowed by the API.
 *
 * @module
 */
import type { V1Pod, V1Toleration } from "@kubernetes/client-node";

/** Annotation that lets a pod be evicted from an unreachable edge node like in a default cluster. */
export const EVICT_ANNOTATION = "kubeedge-ts.io/evict-when-unreachable";

const KEYS = ["node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready"];

/** A merge patch adding the missing autonomy tolerations, or undefined when the pod has them or opted out. */
export function autonomyTolerationsPatch(pod: V1Pod): { spec: { tolerations: V1Toleration[] } } | undefined {
  if (pod.metadata?.annotations?.[EVICT_ANNOTATION] === "true" || pod.metadata?.deletionTimestamp) return undefined;
  const have = pod.spec?.tolerations ?? [];
  const covered = (key: string) =>
    have.some((t) => (t.key === key || (t.key === undefined && t.operator === "Exists")) && (!t.effect || t.effect === "NoExecute") && t.tolerationSeconds == null);
  const missing = KEYS.filter((k) => !covered(k));
  if (!missing.length) return undefined;
  // tolerations is a list without a merge strategy, so the patch carries the whole new list
  return { spec: { tolerations: [...have, ...missing.map((key) => ({ key, operator: "Exists", effect: "NoExecute" }))] } };
}
