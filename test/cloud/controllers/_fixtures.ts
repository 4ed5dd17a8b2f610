/**
 * Small object builders for the controllers' unit tests.
 *
 * @module
 */
import type { V1Deployment, V1Pod, V1ReplicaSet } from "@kubernetes/client-node";

/** A ReplicaSet with the given spec and available replicas. */
export function rs(name: string, replicas: number, available = replicas, extra: { created?: string; annotations?: Record<string, string> } = {}): V1ReplicaSet {
  return {
    metadata: { name, namespace: "default", uid: `uid-${name}`, creationTimestamp: (extra.created ?? "2026-01-01T00:00:00Z") as unknown as Date, annotations: extra.annotations },
    spec: { replicas, selector: { matchLabels: { app: "x" } } },
    status: { replicas, availableReplicas: available, readyReplicas: available },
  };
}

/** A Deployment with `replicas`. */
export function deployment(replicas: number, extra: Partial<V1Deployment["spec"]> = {}): V1Deployment {
  return {
    metadata: { name: "d", namespace: "default", uid: "uid-d", generation: 2 },
    spec: { replicas, selector: { matchLabels: { app: "x" } }, template: { metadata: { labels: { app: "x" } } }, ...extra },
  };
}

/** A pod, Ready since `readySince` when given. */
export function pod(name: string, extra: { node?: string; phase?: string; readySince?: string; created?: string; restarts?: number; labels?: Record<string, string> } = {}): V1Pod {
  return {
    metadata: { name, namespace: "default", labels: extra.labels ?? { app: "x" }, creationTimestamp: (extra.created ?? "2026-01-01T00:00:00Z") as unknown as Date },
    spec: { containers: [{ name: "c" }], nodeName: extra.node },
    status: {
      phase: extra.phase ?? "Running",
      conditions: extra.readySince ? [{ type: "Ready", status: "True", lastTransitionTime: extra.readySince as unknown as Date }] : [],
      containerStatuses: [{ name: "c", image: "", imageID: "", ready: !!extra.readySince, restartCount: extra.restarts ?? 0 }],
    },
  };
}
