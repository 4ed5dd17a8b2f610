/**
 * A copy of a KubeConfig whose requests reuse keep-alive connections. client-node 1.4 builds a new HTTP agent for
 * every request, so each call pays a fresh TLS handshake (and the embedded API, in the same process, pays the
 * other half); with hundreds of writes per second that handshake is most of the cost. The copy hands out one
 * keep-alive agent per set of TLS options instead (client-node has no option for this, hence the override of its
 * agent factory).
 *
 * @module
 */
import type { Agent } from "node:http";
import { type Cluster, KubeConfig } from "@kubernetes/client-node";

/** Connections per API server, long-lived watches included; more requests wait for a free one. @default 64 */
const MAX_SOCKETS = 64;

type AgentFactory = { createAgent(cluster: Cluster | null, options: Record<string, unknown>): Agent };

/** The pooled copy and how to close its idle connections. */
export type PooledKubeConfig = { kubeConfig: KubeConfig; close(): void };

/** Copies `source` (clusters, users, contexts, current context) with pooled connections. */
export function pooledKubeConfig(source: KubeConfig): PooledKubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: source.clusters, users: source.users, contexts: source.contexts, currentContext: source.currentContext });
  const factory = kc as unknown as AgentFactory;
  const original = factory.createAgent.bind(kc);
  const agents = new Map<string, Agent>();
  factory.createAgent = (cluster, options) => {
    const key = [cluster?.server, options.ca, options.cert, options.key, options.rejectUnauthorized, options.servername].map(String).join("\0");
    let agent = agents.get(key);
    if (!agent) agents.set(key, (agent = original(cluster, { ...options, keepAlive: true, maxSockets: MAX_SOCKETS, maxFreeSockets: MAX_SOCKETS })));
    return agent;
  };
  return {
    kubeConfig: kc,
    close() {
      for (const a of agents.values()) a.destroy();
      agents.clear();
    },
  };
}
