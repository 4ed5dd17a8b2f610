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

/**
 * A merge patch that makes the pod tolerate unreachable and not-ready without a time limit, or undefined when it does
 * already or opted out. Time-limited tolerations of those keys (the API's 300 s defaults) get their limit removed
 * rather than an unlimited twin beside them: the taint manager evicts after the shortest matching tolerationSeconds,
 * and lifting tolerationSeconds is the one change to an existing toleration that pod updates allow.
 */
export function autonomyTolerationsPatch(pod: V1Pod): { spec: { tolerations: V1Toleration[] } } | undefined {
  if (pod.metadata?.annotations?.[EVICT_ANNOTATION] === "true" || pod.metadata?.deletionTimestamp) return undefined;
  const have = pod.spec?.tolerations ?? [];
  const ours = (t: V1Toleration) => KEYS.includes(t.key ?? "") && (!t.effect || t.effect === "NoExecute");
  const lifted = have.map((t) => {
    if (!ours(t) || t.tolerationSeconds == null) return t;
    const { tolerationSeconds: _limit, ...unlimited } = t;
    return unlimited;
  });
  const covered = (key: string) => lifted.some((t) => (t.key === key || (t.key === undefined && t.operator === "Exists")) && (!t.effect || t.effect === "NoExecute"));
  const missing = KEYS.filter((k) => !covered(k));
  const changed = missing.length > 0 || lifted.some((t, i) => t !== have[i]);
  if (!changed) return undefined;
  // tolerations is a list without a merge strategy, so the patch carries the whole new list
  return { spec: { tolerations: [...lifted, ...missing.map((key) => ({ key, operator: "Exists", effect: "NoExecute" }))] } };
}
