/**
 * Embedded API benchmark: writes/s creating 10,000 pods over HTTPS (durable store, fsync on), list latency p50/p99
 * of those 10,000 pods (JSON list and kubectl's Table form), and event delivery latency to 100 concurrent watchers.
 *
 * Run: node --import tsx test/bench/apiserver.ts [--pods 10000] [--watchers 100] [--events 200]
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startApiServer } from "../../lib/cloud/apiserver/index.ts";
import { createLogger } from "../../lib/log/index.ts";
import { openStore } from "../../lib/store/index.ts";
import { selfSignedTls } from "../support/tls.ts";
import { waitUntil } from "../support/process.ts";

const { values } = parseArgs({ options: { pods: { type: "string", default: "10000" }, watchers: { type: "string", default: "100" }, events: { type: "string", default: "200" } } });
const PODS = Number(values.pods), WATCHERS = Number(values.watchers), EVENTS = Number(values.events);
const CONCURRENCY = 64;
const TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

const dir = mkdtempSync(join(tmpdir(), "apiserver-bench-"));
const tls = await selfSignedTls();
const log = createLogger("bench", { level: "warn" });
const store = await openStore(join(dir, "cloud.db"), { log });
const api = await startApiServer({ store, tls, address: { host: "127.0.0.1", port: 0 }, log, watchHistorySize: 100_000 });
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca: tls.ca });

function call(method: string, path: string, body?: object, headers: Record<string, string> = {}): Promise<{ status: number; bytes: number; text: string }> {
  const data = body ? JSON.stringify(body) : undefined;
  return new Promise((resolve, reject) => {
    const h: Record<string, string> = { authorization: `Bearer ${api.token}`, ...headers };
    if (data) Object.assign(h, { "content-type": headers["content-type"] ?? "application/json", "content-length": String(Buffer.byteLength(data)) });
    const req = request(`${api.url}${path}`, { method, headers: h, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const buf = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, bytes: buf.length, text: buf.length < 100_000 ? buf.toString() : "" });
      });
    });
    req.on("error", reject);
    req.end(data);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

function pod(i: number): object {
  return {
    apiVersion: "v1", kind: "Pod",
    metadata: { name: `pod-${i}`, namespace: `ns-${i % 10}`, labels: { app: `app-${i % 50}`, bench: "yes" } },
    spec: { nodeName: `edge-node-${i % 100}`, containers: [{ name: "main", image: "nginx:1.25", ports: [{ containerPort: 80 }], env: [{ name: "INDEX", value: String(i) }] }] },
  };
}

for (let n = 0; n < 10; n++) await call("POST", "/api/v1/namespaces", { metadata: { name: `ns-${n}` } });

// 1. Writes: 10,000 pod creates, CONCURRENCY in flight.
let next = 0;
const started = performance.now();
await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
  for (let i = next++; i < PODS; i = next++) {
    const r = await call("POST", `/api/v1/namespaces/ns-${i % 10}/pods`, pod(i));
    if (r.status !== 201) throw new Error(`create pod-${i}: ${r.status} ${r.text}`);
  }
}));
const writeSeconds = (performance.now() - started) / 1000;
console.log(`creates: ${PODS} pods in ${writeSeconds.toFixed(2)} s = ${(PODS / writeSeconds).toFixed(0)} writes/s (${CONCURRENCY} concurrent, fsync on)`);

// 2. List latency, JSON and Table.
for (const [label, headers] of [["list JSON", {}], ["list Table", { accept: TABLE_ACCEPT }]] as const) {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 40; i++) {
    const t0 = performance.now();
    const r = await call("GET", "/api/v1/pods", undefined, headers);
    times.push(performance.now() - t0);
    bytes = r.bytes;
  }
  times.sort((a, b) => a - b);
  console.log(`${label} of ${PODS} pods (${(bytes / 1e6).toFixed(1)} MB): p50 ${fmt(percentile(times, 50))}, p99 ${fmt(percentile(times, 99))}`);
}
const sel = [] as number[];
for (let i = 0; i < 40; i++) {
  const t0 = performance.now();
  await call("GET", "/api/v1/pods?labelSelector=app%3Dapp-7&fieldSelector=spec.nodeName%3Dedge-node-7");
  sel.push(performance.now() - t0);
}
sel.sort((a, b) => a - b);
console.log(`list with label+field selector (200 of ${PODS}): p50 ${fmt(percentile(sel, 50))}, p99 ${fmt(percentile(sel, 99))}`);

// 3. Event delivery to WATCHERS watchers: time from sending a patch (which commits with fsync) to each watcher
// reading the event.
const rv = JSON.parse((await call("GET", "/api/v1/namespaces/ns-0/pods?labelSelector=app%3Dnone")).text).metadata.resourceVersion;
const sentAt = new Map<string, number>();
const latencies: number[] = [];
const watchAgent = new Agent({ keepAlive: false, ca: tls.ca });
const streams = await Promise.all(Array.from({ length: WATCHERS }, () => new Promise<{ close(): void }>((resolve, reject) => {
  const req = request(`${api.url}/api/v1/pods?watch=true&resourceVersion=${rv}`, { headers: { authorization: `Bearer ${api.token}` }, agent: watchAgent }, (res) => {
    let buf = "";
    res.on("data", (c: Buffer) => {
      buf += c.toString();
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const marker = /"bench-seq":"(\d+)"/.exec(line)?.[1];
        const at = marker ? sentAt.get(marker) : undefined;
        if (at !== undefined) latencies.push(performance.now() - at);
      }
    });
    resolve({ close: () => req.destroy() });
  });
  req.on("error", reject);
  req.end();
})));
for (let e = 0; e < EVENTS; e++) {
  const i = (e * 37) % PODS;
  sentAt.set(String(e), performance.now());
  await call("PATCH", `/api/v1/namespaces/ns-${i % 10}/pods/pod-${i}`, { metadata: { annotations: { "bench-seq": String(e) } } }, { "content-type": "application/merge-patch+json" });
}
// what arrived within 10 s is reported either way
await waitUntil(() => latencies.length >= EVENTS * WATCHERS, 10_000, "every event at every watcher").catch(() => undefined);
latencies.sort((a, b) => a - b);
console.log(`event delivery to ${WATCHERS} watchers (${latencies.length}/${EVENTS * WATCHERS} events received): p50 ${fmt(percentile(latencies, 50))}, p99 ${fmt(percentile(latencies, 99))}`);
console.log(`rss after: ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);

for (const s of streams) s.close();
agent.destroy();
watchAgent.destroy();
await api.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
