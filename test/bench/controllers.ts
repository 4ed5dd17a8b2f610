/**
 * Benchmark of the controllers against the embedded API: 1,000 pods from Deployments across 100 nodes created
 * through the API. Prints the time from creating the Deployments to every pod bound, the scheduler's bind latency
 * (pod first seen by a watch -> seen bound; p50/p99), and the Deployment -> ReplicaSet -> pod creation time.
 *
 * The API runs as in cloud_core: HTTPS on 127.0.0.1 over a durable store with fsync on (`--fsync off` to compare),
 * in the same process as the controllers.
 *
 * Run: `node --import tsx test/bench/controllers.ts [--nodes 100] [--deployments 10] [--replicas 100] [--fsync on]`
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { AppsV1Api, CoreV1Api, KubeConfig, type V1Pod } from "@kubernetes/client-node";
import { Controllers } from "../../lib/cloud/controllers/index.ts";
import { Informer } from "../../lib/cloud/controllers/informer.ts";
import { BoundedQueue } from "../../lib/core/index.ts";
import { createLogger } from "../../lib/log/index.ts";
import type { Message } from "../../lib/model/index.ts";
import { startApiServer } from "../../lib/cloud/apiserver/index.ts";
import { openStore } from "../../lib/store/index.ts";
import { selfSignedTls } from "../support/tls.ts";

const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "100" }, deployments: { type: "string", default: "10" }, replicas: { type: "string", default: "100" },
    fsync: { type: "string", default: "on" },
  },
});
const NODES = Number(values.nodes), DEPLOYMENTS = Number(values.deployments), REPLICAS = Number(values.replicas);
const TOTAL = DEPLOYMENTS * REPLICAS;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const log = createLogger("bench", { level: "warn" });
const dir = mkdtempSync(join(tmpdir(), "controllers-bench-"));
const store = await openStore(join(dir, "cloud.db"), { fsync: values.fsync !== "off", log });
const server = await startApiServer({ store, tls: await selfSignedTls(), dataDir: dir, address: { host: "127.0.0.1", port: 0 }, log });
const kc = new KubeConfig();
kc.loadFromFile(server.kubeconfigPath!);
const core = kc.makeApiClient(CoreV1Api);
const apps = kc.makeApiClient(AppsV1Api);

const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
for (let i = 0; i < NODES; i++) {
  const name = `node-${String(i).padStart(3, "0")}`;
  await core.createNode({
    body: {
      metadata: { name, labels: { "kubernetes.io/hostname": name } },
      status: {
        capacity: { pods: "110", cpu: "4", memory: "8Gi" }, allocatable: { pods: "110", cpu: "4", memory: "8Gi" },
        conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", lastHeartbeatTime: now as unknown as Date }],
      },
    },
  });
}

const controllers = new Controllers({ kubeConfig: kc, log, nodeMonitorGracePeriodMs: 600_000 });
const abort = new AbortController();
await controllers.init();
const running = controllers.start({ bus: undefined as never, log, signal: abort.signal, inbox: new BoundedQueue<Message>(16) });

const seen = new Map<string, number>();
const bound = new Map<string, number>();
let allBound!: () => void;
const done = new Promise<void>((r) => (allBound = r));
const watch = new Informer<V1Pod>(kc, { path: "/api/v1/pods", apiVersion: "v1", kind: "Pod", list: () => core.listPodForAllNamespaces() }, log);
const onPod = (pod: V1Pod) => {
  const key = pod.metadata!.name!;
  if (!seen.has(key)) seen.set(key, performance.now());
  if (pod.spec?.nodeName && !bound.has(key)) {
    bound.set(key, performance.now());
    if (bound.size === TOTAL) allBound();
  }
};
watch.subscribe({ add: onPod, update: onPod });
await watch.start();

const started = performance.now();
await Promise.all(Array.from({ length: DEPLOYMENTS }, (_, i) => apps.createNamespacedDeployment({
  namespace: "default",
  body: {
    metadata: { name: `app-${i}` },
    spec: {
      replicas: REPLICAS, selector: { matchLabels: { app: `app-${i}` } },
      template: { metadata: { labels: { app: `app-${i}` } }, spec: { containers: [{ name: "c", image: "busybox", resources: { requests: { cpu: "10m", memory: "16Mi" } } }] } },
    },
  },
})));
const timeout = setTimeout(() => {
  console.error(`timed out: ${seen.size} pods created, ${bound.size} bound`);
  process.exit(1);
}, 300_000);
await done;
clearTimeout(timeout);
const totalMs = performance.now() - started;
const created = Math.max(...seen.values()) - started;
const latencies = [...bound].map(([k, t]) => t - seen.get(k)!).sort((a, b) => a - b);
const perNode = new Map<string, number>();
for (const p of watch.list()) if (p.spec?.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
const counts = [...perNode.values()];

console.log(`controllers benchmark: ${TOTAL} pods from ${DEPLOYMENTS} Deployments x ${REPLICAS} replicas on ${NODES} nodes, fsync ${values.fsync}`);
console.log(`  create Deployments -> all ${TOTAL} pods created:  ${(created / 1000).toFixed(2)} s`);
console.log(`  create Deployments -> all ${TOTAL} pods bound:    ${(totalMs / 1000).toFixed(2)} s (${Math.round(TOTAL / (totalMs / 1000))} pods/s)`);
console.log(`  bind latency (pod seen -> seen bound): p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${latencies.at(-1)!.toFixed(0)} ms`);
console.log(`  spread: ${perNode.size} nodes used, ${Math.min(...counts)}..${Math.max(...counts)} pods per node`);

abort.abort();
await running;
await controllers.stop();
await watch.stop();
await server.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
