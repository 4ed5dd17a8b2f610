/**
 * Benchmark of the cloud-edge link: how many idle links one cloudhub holds, its RAM per idle link, cloud->edge
 * messages per second (all ACKed), how long a cloud restart takes until every node is linked and resynced again, and
 * how fast one edge with the real MetaManager stores (fsync on) what the cloud sends.
 * The cloud runs in its own process (RSS measured alone); the edges are real EdgeHub clients, many per process.
 *
 * Run: `ulimit -n 65536` (at least nodes + 1000; the cloud holds one socket per node), then
 *   node --import tsx test/bench/link.ts [--nodes 10000] [--reconnect-nodes 5000] [--edge-procs 4] [--rate 400]
 *     [--per-node 10] [--objects 3] [--cloud-runtime node|bun|deno] [--edge-runtime bun|node|deno]
 * BENCH_CLOUD_NODE_ARGS adds flags for the cloud's node (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 * The edge load runs under Bun by default: its TLS client costs about a third of Node's CPU, which leaves the two
 * cores to the cloud being measured.
 * Node certificates are cached in $TMPDIR/kubeedge-ts-bench-link (delete it to time their creation again).
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { issueNodeCertificate, writeNodeCertificate } from "../../lib/pki/index.ts";
import { makePki } from "../fixtures/link_env.ts";
import { FixtureProcess, type Line, type Runtime } from "../fixtures/link_rpc.ts";
import { waitUntil } from "../support/process.ts";

const { values } = parseArgs({
  options: {
    nodes: { type: "string" }, "reconnect-nodes": { type: "string" }, "edge-procs": { type: "string" }, rate: { type: "string" },
    "per-node": { type: "string" }, objects: { type: "string" }, "cloud-runtime": { type: "string" }, "edge-runtime": { type: "string" },
  },
});
const NODES = Number(values.nodes ?? 10_000);
const RECONNECT_NODES = Math.min(NODES, Number(values["reconnect-nodes"] ?? 5000));
const EDGE_PROCS = Number(values["edge-procs"] ?? 4);
const RATE = Number(values.rate ?? 400);
const PER_NODE = Number(values["per-node"] ?? 10);
const OBJECTS = values.objects ?? "3";
const runtime = (v: string | undefined, def: Runtime): Runtime => (v === "node" || v === "bun" || v === "deno" ? v : def);
const CLOUD_RUNTIME = runtime(values["cloud-runtime"], "node");
const EDGE_RUNTIME = runtime(values["edge-runtime"], "bun");
const dir = join(tmpdir(), "kubeedge-ts-bench-link");
const certs = join(dir, "certs");
const node = (i: number) => `bench-${String(i).padStart(5, "0")}`;
const results: Record<string, unknown> = {
  cloudRuntime: CLOUD_RUNTIME, edgeRuntime: EDGE_RUNTIME, nodes: NODES, reconnectNodes: RECONNECT_NODES, edgeProcs: EDGE_PROCS, ratePerS: RATE,
};
const say = (s: string) => process.stderr.write(`[bench] ${s}\n`);

function checkFileLimit(): void {
  const soft = Number(execFileSync("bash", ["-c", "ulimit -n"]).toString().trim());
  results.ulimitN = soft;
  if (soft < NODES + 1000) throw new Error(`ulimit -n is ${soft}; raise it to at least ${NODES + 1000} (ulimit -n 65536) before running`);
}

async function prepareCertificates(): Promise<void> {
  const pki = await makePki(dir);
  mkdirSync(certs, { recursive: true });
  writeFileSync(join(certs, "ca.crt"), pki.caCert);
  const began = performance.now();
  let made = 0;
  for (let i = 0; i < NODES; i++) {
    if (existsSync(join(certs, `${node(i)}.key`))) continue;
    const b = await issueNodeCertificate(pki, node(i));
    writeFileSync(join(certs, `${node(i)}.crt`), b.cert);
    writeFileSync(join(certs, `${node(i)}.key`), b.key, { mode: 0o600 });
    made++;
  }
  if (made) results.certIssueMsEach = +((performance.now() - began) / made).toFixed(2);
  say(`certificates ready (${made} new)`);
}

function startCloud(port = 0): FixtureProcess {
  return new FixtureProcess("test/fixtures/link_bench_cloud.ts", ["--dir", dir, "--port", String(port), "--objects", OBJECTS, "--node-limit", String(NODES + 10)], {
    nodeArgs: ["--expose-gc", ...(process.env.BENCH_CLOUD_NODE_ARGS?.split(" ").filter(Boolean) ?? [])], runtime: CLOUD_RUNTIME,
  });
}

async function edgeTotals(edges: FixtureProcess[]): Promise<Record<string, number>> {
  const all = await Promise.all(edges.map((e) => e.call({ cmd: "stats" }, 60_000)));
  const sum: Record<string, number> = {};
  for (const s of all) for (const [k, v] of Object.entries(s)) if (typeof v === "number" && k !== "id") sum[k] = (sum[k] ?? 0) + v;
  return sum;
}

async function main(): Promise<void> {
  checkFileLimit();
  await prepareCertificates();

  // 1. Idle links and RAM per link.
  let cloud = startCloud();
  const port = (await cloud.waitFor((l) => l.event === "listening")).port as number;
  const base = await cloud.call({ cmd: "mem" });
  const per = Math.ceil(NODES / EDGE_PROCS);
  const edges: FixtureProcess[] = [];
  for (let p = 0; p < EDGE_PROCS; p++) {
    const e = new FixtureProcess("test/fixtures/link_bench_edges.ts", [
      "--certs", certs, "--port", String(port), "--from", String(p * per), "--to", String(Math.min(NODES, (p + 1) * per)), "--rate", String(RATE / EDGE_PROCS),
    ], { runtime: EDGE_RUNTIME });
    await e.waitFor((l) => l.event === "ready");
    edges.push(e);
  }
  const cpu0 = (await cloud.call({ cmd: "stats" })).cpuMs as number;
  const t0 = performance.now();
  for (const e of edges) await e.call({ cmd: "start" });
  const linkProgress = async () => {
    const s = await cloud.call({ cmd: "stats" });
    const e = await edgeTotals(edges);
    return `${s.connected} linked, ${s.pending} unACKed, ${s.refused} refused; edges started ${e.started}, linked ${e.connected}, connects ${e.connects}`;
  };
  await waitUntil(async () => {
    const s = await cloud.call({ cmd: "stats" });
    return s.connected === NODES && s.pending === 0 ? s : undefined;
  }, NODES * 60 + 120_000, "all nodes linked", { intervalMs: 200, progress: linkProgress });
  const connectMs = performance.now() - t0;
  const linked = await cloud.call({ cmd: "stats" });
  results.connectSeconds = +(connectMs / 1000).toFixed(1);
  results.cloudCpuMsPerConnect = +(((linked.cpuMs as number) - cpu0) / NODES).toFixed(2);
  say(`${NODES} nodes linked and resynced in ${results.connectSeconds} s (paced at ${RATE}/s)`);
  await new Promise((r) => setTimeout(r, 5000));
  const idle = await cloud.call({ cmd: "mem" });
  results.cloudRssBaseMiB = +((base.rss as number) / 2 ** 20).toFixed(1);
  results.cloudRssIdleMiB = +((idle.rss as number) / 2 ** 20).toFixed(1);
  results.ramPerIdleLinkKiB = +(((idle.rss as number) - (base.rss as number)) / NODES / 1024).toFixed(1);
  results.heapPerIdleLinkKiB = +(((idle.heapUsed as number) - (base.heapUsed as number)) / NODES / 1024).toFixed(1);
  results.edgeProcsRssMiB = +((await edgeTotals(edges)).rss / 2 ** 20).toFixed(0);
  say(`idle: ${results.ramPerIdleLinkKiB} KiB RSS per link (${results.heapPerIdleLinkKiB} KiB JS heap)`);

  // 2. Cloud->edge throughput: PER_NODE updates to every node, timed until all are ACKed.
  const before = (await cloud.call({ cmd: "stats" })).totals as Line;
  const t1 = performance.now();
  const names = Array.from({ length: NODES }, (_, i) => node(i));
  const { sent } = await cloud.call({ cmd: "blast", nodes: names, perNode: PER_NODE }, 600_000);
  await waitUntil(async () => {
    const s = await cloud.call({ cmd: "stats" });
    return ((s.totals as Line).acked as number) - (before.acked as number) >= (sent as number) ? s : undefined;
  }, 600_000, "all updates ACKed", { intervalMs: 200 });
  const blastMs = performance.now() - t1;
  results.messages = sent;
  results.messagesPerSecond = Math.round((sent as number) / (blastMs / 1000));
  say(`${sent} messages ACKed in ${(blastMs / 1000).toFixed(1)} s: ${results.messagesPerSecond}/s`);

  // 3. Cloud restart: keep RECONNECT_NODES linked, SIGKILL the cloud, start it again, time until all are resynced.
  const keepProcs = Math.ceil(RECONNECT_NODES / per);
  for (const e of edges.splice(keepProcs)) await e.kill("SIGKILL");
  await waitUntil(async () => ((await cloud.call({ cmd: "stats" })).connected as number) <= keepProcs * per ? true : undefined, 120_000, "surplus nodes gone", { intervalMs: 200 });
  const reconnecting = Math.min(NODES, keepProcs * per);
  for (const e of edges) await e.call({ cmd: "resetSyncs" });
  const edgeCpuBefore = (await edgeTotals(edges)).cpuMs;
  await cloud.kill("SIGKILL");
  const t2 = performance.now();
  cloud = startCloud(port);
  await cloud.waitFor((l) => l.event === "listening", 60_000);
  const upMs = performance.now() - t2;
  await waitUntil(async () => {
    const s = await edgeTotals(edges);
    return s.synced >= reconnecting ? s : undefined;
  }, 600_000, "all nodes resynced", { intervalMs: 200, progress: async () => `${(await edgeTotals(edges)).synced} resynced` });
  const resyncMs = performance.now() - t2;
  const edgeCpuDuring = (await edgeTotals(edges)).cpuMs - edgeCpuBefore;
  results.reconnectNodesMeasured = reconnecting;
  results.cloudStartSeconds = +(upMs / 1000).toFixed(1);
  results.reconnectResyncSeconds = +(resyncMs / 1000).toFixed(1);
  const after = await cloud.call({ cmd: "stats" });
  const failed: Record<string, number> = {};
  for (const e of edges) {
    for (const [k, v] of Object.entries((await e.call({ cmd: "stats" })).failures as Record<string, number>)) failed[k] = (failed[k] ?? 0) + v;
  }
  results.failedAttemptsByReason = failed;
  results.cloudShedConnections = after.shed;
  results.cloudCpuMsPerReconnect = +((after.cpuMs as number) / reconnecting).toFixed(2);
  // Share of one core each side used over the reconnect window (the machine has two).
  results.reconnectCloudCpuPercent = Math.round((100 * (after.cpuMs as number)) / resyncMs);
  results.reconnectEdgesCpuPercent = Math.round((100 * edgeCpuDuring) / resyncMs);
  say(`${reconnecting} nodes reconnected and resynced ${results.reconnectResyncSeconds} s after the restart (cloud up after ${results.cloudStartSeconds} s)`);

  for (const e of edges) await e.kill("SIGKILL");
  await cloud.call({ cmd: "exit" });
  await cloud.exited;

  await singleEdgeIntoStore();
  process.stdout.write(JSON.stringify(results, null, 2) + "\n");
}

/** 4. One edge with the real MetaManager and a durable store (fsync on): cloud->edge messages/s until all are ACKed. */
async function singleEdgeIntoStore(): Promise<void> {
  const single = join(dir, "single");
  rmSync(single, { recursive: true, force: true });
  await writeNodeCertificate(join(single, "certs"), await issueNodeCertificate(await makePki(dir), "single-edge"));
  const cloud = new FixtureProcess("test/fixtures/link_cloud.ts", ["--dir", dir, "--state", join(single, "state.json")]);
  const port = (await cloud.waitFor((l) => l.event === "listening")).port as number;
  const edge = new FixtureProcess("test/fixtures/link_edge.ts", ["--dir", join(single, "edge"), "--node", "single-edge", "--port", String(port), "--certs", join(single, "certs")]);
  await waitUntil(async () => ((await edge.call({ cmd: "stats" })).state === "connected" ? true : undefined), 60_000, "single edge linked", { intervalMs: 200 });
  const count = 5000;
  const t = performance.now();
  await cloud.call({ cmd: "burst", node: "single-edge", count, prefix: "cm-", batch: count, pauseMs: 0 }, 120_000);
  await waitUntil(async () => {
    const n = (await cloud.call({ cmd: "stats", node: "single-edge" })).node as Line;
    const meta = (await edge.call({ cmd: "stats" })).meta as Line;
    return meta.stored === count && n.pending === 0 ? n : undefined;
  }, 120_000, "single edge stored all", { intervalMs: 200 });
  results.singleEdgeStoredPerSecond = Math.round(count / ((performance.now() - t) / 1000));
  say(`one edge with MetaManager and a durable store: ${results.singleEdgeStoredPerSecond} messages/s stored and ACKed`);
  await edge.kill("SIGTERM");
  await cloud.kill("SIGTERM");
}

// Exiting kills the fixture processes (link_rpc.ts), also after a failure.
await main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`[bench] failed: ${err instanceof Error ? err.stack : err}\n`);
    process.exit(1);
  },
);
