/**
 * Shared informer caches for EdgeController: one list+watch per kind for the whole cloud, not one per node. Pods are
 * watched with `spec.nodeName!=` so only bound pods are held.
 *
 * @module
 */
import {
  CoreV1Api,
  type KubeConfig,
  type KubernetesObject,
  ListWatch,
  type V1ConfigMap,
  type V1Node,
  type V1Pod,
  type V1Secret,
  type V1Service,
  Watch,
} from "@kubernetes/client-node";
import type { Logger } from "../../log/index.ts";

/** Cache events, as the informer names them. */
export type CacheEvent = "add" | "update" | "delete";

/** The caches and how to stop them. */
export type Caches = {
  pods: ListWatch<V1Pod>;
  configMaps: ListWatch<V1ConfigMap>;
  secrets: ListWatch<V1Secret>;
  /** Every Service: nodes are told those of the namespaces their pods are in. */
  services: ListWatch<V1Service>;
  nodes: ListWatch<V1Node>;
  stop(): Promise<void>;
};

/** Label that marks an edge node (set by EdgeController at registration). */
export const EDGE_ROLE_LABEL = "node-role.kubernetes.io/edge";

/** How long to wait before restarting an informer that failed. @default 1000 */
const RESTART_MS = 1000;

/** Starts the informers and resolves once each has listed. */
export async function startCaches(kc: KubeConfig, log: Logger): Promise<Caches> {
  const core = kc.makeApiClient(CoreV1Api);
  const watch = new Watch(kc);
  const bound = "spec.nodeName!=";
  const pods = new ListWatch<V1Pod>("/api/v1/pods", watch, () => core.listPodForAllNamespaces({ fieldSelector: bound }), false, undefined, bound);
  const configMaps = new ListWatch<V1ConfigMap>("/api/v1/configmaps", watch, () => core.listConfigMapForAllNamespaces(), false);
  const secrets = new ListWatch<V1Secret>("/api/v1/secrets", watch, () => core.listSecretForAllNamespaces(), false);
  const services = new ListWatch<V1Service>("/api/v1/services", watch, () => core.listServiceForAllNamespaces(), false);
  const nodes = new ListWatch<V1Node>("/api/v1/nodes", watch, () => core.listNode({ labelSelector: EDGE_ROLE_LABEL }), false, EDGE_ROLE_LABEL);
  let stopped = false;
  const all: [string, ListWatch<KubernetesObject>][] = [["pods", pods], ["configmaps", configMaps], ["secrets", secrets], ["services", services], ["nodes", nodes]];
  for (const [name, informer] of all) {
    // client-node 1.4 stops an informer on a watch error; restart it so the caches never go stale silently
    informer.on("error", (err) => {
      if (stopped) return;
      log.warn("informer failed, restarting", { informer: name, error: String(err), inMs: RESTART_MS });
      setTimeout(() => {
        if (!stopped) informer.start().catch((e) => log.error("informer restart failed", { informer: name, error: String(e) }));
      }, RESTART_MS).unref();
    });
  }
  await Promise.all(all.map(([, i]) => i.start()));
  return {
    pods, configMaps, secrets, services, nodes,
    async stop() {
      stopped = true;
      await Promise.all(all.map(([, i]) => i.stop()));
    },
  };
}
