/**
 * EdgeController downstream latency: 1,000 simulated edge nodes x 10 pods created through the embedded
 * API; for each pod, the time from sending its create to EdgeController handing the pod's message to cloudhub for
 * its node. The link itself is not in the figure (its throughput is test/bench/link.ts): a recording module stands in
 * for cloudhub on the bus, and every node is reported connected.
 *
 * Run: node --import tsx test/bench/controller.ts [nodes=1000] [podsPerNode=10]
 */
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { EdgeController } from "../../lib/cloud/edgecontroller/index.ts";
import { pooledKubeConfig } from "../../lib/cloud/pooled_kube_config.ts";
import { Bus, type Module } from "../../lib/core/index.ts";
import { createLogger } from "../../lib/log/index.ts";
import { newMessage } from "../../lib/model/index.ts";
import { startTestApiServer } from "../support/apiserver.ts";

const NODES = Number(process.argv[2] ?? 1000);
const PER_NODE = Number(process.argv[3] ?? 10);
const IN_FLIGHT = 64;
const log = createLogger("bench", { level: "warn" });

const server = await startTestApiServer();
const kc = new KubeConfig();
kc.loadFromFile(server.env.kubeconfig);
const pool = pooledKubeConfig(kc);
const core = pool.kubeConfig.makeApiClient(CoreV1Api);

async function inBatches<T>(items: T[], fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

const nodes = Array.from({ length: NODES }, (_, i) => `sim-${i}`);
await inBatches(nodes, async (name) => {
  await core.createNode({ body: { metadata: { name, labels: { "node-role.kubernetes.io/edge": "" } } } });
});

const sentAt = new Map<string, number>();
const latencies: number[] = [];
let arrived = 0;
let allArrived!: () => void;
const done = new Promise<void>((r) => (allArrived = r));
const recorder: Module = {
  name: "cloudhub",
  group: "hub",
  async start(ctx) {
    for await (const m of ctx.inbox) {
      const match = /^node\/[^/]+\/default\/pod\/(.+)$/.exec(m.route.resource);
      if (!match || m.route.operation !== "insert") continue;
      const t0 = sentAt.get(match[1]);
      if (t0 === undefined) continue;
      latencies.push(performance.now() - t0);
      sentAt.delete(match[1]);
      if (++arrived === NODES * PER_NODE) allArrived();
    }
  },
};
const bus = new Bus({ log, queueLimit: 100_000 });
bus.register(recorder);
bus.register(new EdgeController({ kubeConfig: pool.kubeConfig, log }));
await bus.start();
for (const node of nodes) await bus.send("edgecontroller", newMessage({ source: "cloudhub", group: "hub", operation: "connected", resource: `node/${node}`, content: null }));

const pods = nodes.flatMap((node) => Array.from({ length: PER_NODE }, (_, j) => ({ node, name: `${node}-p${j}` })));
const started = performance.now();
await inBatches(pods, async ({ node, name }) => {
  sentAt.set(name, performance.now());
  await core.createNamespacedPod({
    namespace: "default",
    body: { metadata: { name }, spec: { nodeName: node, containers: [{ name: "c", image: "kubeedge-ts/busybox:latest" }] } },
  });
});
const created = performance.now();
await done;
const total = performance.now() - started;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(0);
console.log(`nodes ${NODES}, pods ${pods.length}, creates in flight ${IN_FLIGHT}`);
console.log(`all pods created in ${(created - started).toFixed(0)} ms; all messages at cloudhub after ${total.toFixed(0)} ms`);
console.log(`pod create -> message for its node: p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${pct(100)} ms`);
await bus.stop();
pool.close();
await server.close();
process.exit(0);
