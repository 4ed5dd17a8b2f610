/**
 * The taints the node lifecycle controller keeps in line with a node's Ready condition: `unreachable` while it is
 * Unknown, `not-ready` while it is False, none while it is True. Both NoSchedule (no new pods) and NoExecute (which,
 * in a default cluster, evicts pods without a toleration; the edge pods here tolerate it: autonomy).
 *
 * @module
 */
import type { V1Node, V1Taint } from "@kubernetes/client-node";
import { findCondition } from "../../kube/index.ts";

/** Taint key of a node whose status stopped coming. */
const UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";
/** Taint key of a node that reports Ready=False. */
const NOT_READY_TAINT = "node.kubernetes.io/not-ready";

const MANAGED = new Set([UNREACHABLE_TAINT, NOT_READY_TAINT]);
const EFFECTS = ["NoSchedule", "NoExecute"] as const;

/** The node's Ready condition status: "True", "False", "Unknown", or undefined when it never reported one. */
export function readyStatus(node: V1Node): string | undefined {
  return findCondition(node.status, "Ready")?.status;
}

/**
 * The node's taints as they should be: its other taints untouched, the managed ones matching its Ready status
 * (an existing one keeps its timeAdded).
 *
 * @returns the new list, or undefined when nothing changes
 */
export function wantedTaints(node: V1Node, nowText: string): V1Taint[] | undefined {
  const status = readyStatus(node);
  const key = status === "Unknown" ? UNREACHABLE_TAINT : status === "False" ? NOT_READY_TAINT : undefined;
  // a taints value of the wrong shape is left for the API to refuse; only well-formed entries are managed
  const current = (Array.isArray(node.spec?.taints) ? node.spec.taints : []).filter((t) => t && typeof t.key === "string");
  const kept = current.filter((t) => !MANAGED.has(t.key) || (t.key === key && (EFFECTS as readonly string[]).includes(t.effect)));
  const next = [...kept];
  if (key) {
    for (const effect of EFFECTS) {
      if (!kept.some((t) => t.key === key && t.effect === effect)) next.push({ key, effect, timeAdded: nowText as unknown as Date });
    }
  }
  return next.length === current.length && kept.length === current.length ? undefined : next;
}
