/**
 * What controllers read from a pod: whether it still counts (active), is Ready, has been Ready long enough to be
 * available, and what it requests from its node.
 *
 * @module
 */
import type { V1Container, V1Pod } from "@kubernetes/client-node";
import { conditionsOf, milliValue, parseQuantity } from "../../kube/index.ts";
import { timeMs } from "./_time.ts";

/** True for a pod that has not finished and is not being deleted: the pods a ReplicaSet counts. */
export function isPodActive(pod: V1Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== "Succeeded" && phase !== "Failed" && !pod.metadata?.deletionTimestamp;
}

/** True when the pod's Ready condition is True. */
export function isPodReady(pod: V1Pod): boolean {
  return conditionsOf(pod.status).some((c) => c.type === "Ready" && c.status === "True");
}

/** When the pod last became Ready, or undefined when it is not Ready. */
export function readySinceMs(pod: V1Pod): number | undefined {
  const c = conditionsOf(pod.status).find((x) => x.type === "Ready" && x.status === "True");
  return c ? (timeMs(c.lastTransitionTime as string | Date | undefined) ?? 0) : undefined;
}

/** True when the pod has been Ready for at least `minReadySeconds`. */
export function isPodAvailable(pod: V1Pod, minReadySeconds: number, nowMs = Date.now()): boolean {
  const since = readySinceMs(pod);
  if (since === undefined) return false;
  return minReadySeconds <= 0 || since + minReadySeconds * 1000 <= nowMs;
}

/** What a pod asks of its node. */
export type PodRequests = { cpuMilli: number; memoryBytes: number };

function requestsOf(containers: readonly V1Container[] | undefined): PodRequests {
  const sum = { cpuMilli: 0, memoryBytes: 0 };
  for (const c of containers ?? []) {
    const r = c.resources?.requests ?? {};
    if (r.cpu !== undefined) sum.cpuMilli += milliValue(r.cpu);
    if (r.memory !== undefined) sum.memoryBytes += parseQuantity(r.memory);
  }
  return sum;
}

/**
 * The pod's effective requests: the sum over its containers, or the largest init container when that is more
 * (init containers run one at a time, before the others), plus the pod overhead.
 *
 * @throws SyntaxError when a request is not a quantity
 */
export function podRequests(pod: V1Pod): PodRequests {
  const main = requestsOf(pod.spec?.containers);
  for (const init of pod.spec?.initContainers ?? []) {
    const r = requestsOf([init]);
    main.cpuMilli = Math.max(main.cpuMilli, r.cpuMilli);
    main.memoryBytes = Math.max(main.memoryBytes, r.memoryBytes);
  }
  const overhead = pod.spec?.overhead ?? {};
  if (overhead.cpu !== undefined) main.cpuMilli += milliValue(overhead.cpu);
  if (overhead.memory !== undefined) main.memoryBytes += parseQuantity(overhead.memory);
  return main;
}
