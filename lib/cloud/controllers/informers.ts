/**
 * The caches every controller shares: one list+watch per kind for the whole cloud (pods, nodes, node leases,
 * Deployments, ReplicaSets).
 *
 * @module
 */
import {
  AppsV1Api, CoordinationV1Api, CoreV1Api, type KubeConfig, type V1Deployment, type V1Lease, type V1Node, type V1Pod,
  type V1ReplicaSet,
} from "@kubernetes/client-node";
import type { Logger } from "../../log/index.ts";
import { Informer } from "./informer.ts";

/** Namespace of the node heartbeat Leases. */
export const NODE_LEASE_NAMESPACE = "kube-node-lease";

/** The shared caches. */
export type Informers = {
  pods: Informer<V1Pod>;
  nodes: Informer<V1Node>;
  leases: Informer<V1Lease>;
  deployments: Informer<V1Deployment>;
  replicaSets: Informer<V1ReplicaSet>;
  /** Lists every kind, then watches; resolves when all have listed. */
  start(): Promise<void>;
  stop(): Promise<void>;
};

/** Builds the caches (not started). */
export function createInformers(kc: KubeConfig, log: Logger): Informers {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const coord = kc.makeApiClient(CoordinationV1Api);
  const pods = new Informer<V1Pod>(kc, { path: "/api/v1/pods", apiVersion: "v1", kind: "Pod", list: () => core.listPodForAllNamespaces() }, log);
  const nodes = new Informer<V1Node>(kc, { path: "/api/v1/nodes", apiVersion: "v1", kind: "Node", list: () => core.listNode() }, log);
  const leases = new Informer<V1Lease>(kc, {
    path: `/apis/coordination.k8s.io/v1/namespaces/${NODE_LEASE_NAMESPACE}/leases`, apiVersion: "coordination.k8s.io/v1", kind: "Lease",
    list: () => coord.listNamespacedLease({ namespace: NODE_LEASE_NAMESPACE }),
  }, log);
  const deployments = new Informer<V1Deployment>(kc, {
    path: "/apis/apps/v1/deployments", apiVersion: "apps/v1", kind: "Deployment", list: () => apps.listDeploymentForAllNamespaces(),
  }, log);
  const replicaSets = new Informer<V1ReplicaSet>(kc, {
    path: "/apis/apps/v1/replicasets", apiVersion: "apps/v1", kind: "ReplicaSet", list: () => apps.listReplicaSetForAllNamespaces(),
  }, log);
  const all = [pods, nodes, leases, deployments, replicaSets];
  return {
    pods, nodes, leases, deployments, replicaSets,
    async start() {
      await Promise.all(all.map((i) => i.start()));
    },
    async stop() {
      await Promise.all(all.map((i) => i.stop()));
    },
  };
}
