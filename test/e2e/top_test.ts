/**
 * `kubectl top` end to end: cloud_core (embedded API) and edge_core as processes on a real Docker engine, a pod with
 * a CPU-burning container and one holding ~24 MiB (in a shell variable; the sleep is in a loop so that the shell
 * does not exec it as its last command and drop the memory). What real kubectl prints is compared with what the test reads
 * itself over the same window: /proc/stat and /proc/meminfo for the node, the engine's own stats for the containers
 * (CPU from its cumulative counter, memory as `docker stats` prints it). CPU is a rate over the report's window, so
 * the test keeps a history of its own readings and takes the rate over that exact window.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DockerRuntime, ensureBusyboxImage } from "../../lib/edge/edged/runtime/index.ts";
import { type TestDocker, useTestDocker } from "../support/docker.ts";
import { waitUntil } from "../support/process.ts";
import { createCluster, type E2eCluster } from "./_cluster.ts";
import { docker as dockerCli, nodeContainers, removeNodeContainers } from "./_engine.ts";

const NODE = `top-node-${process.pid}`;
const INTERVAL_S = 4;
const TOLERANCE = 0.2;
let engine: TestDocker | undefined;
let cluster: E2eCluster | undefined;
let recording = false;

/** One reading of a cumulative CPU counter (ns) at a time (ms). */
type Point = { atMs: number; nanos: number };

/** The rate (nanocores) between the readings nearest to `fromMs` and `toMs`. */
function rateOver(points: Point[], fromMs: number, toMs: number): number {
  const near = (t: number) => points.reduce((best, p) => (Math.abs(p.atMs - t) < Math.abs(best.atMs - t) ? p : best));
  const a = near(fromMs), b = near(toMs);
  assert.ok(b.atMs > a.atMs, `own readings cover ${new Date(fromMs).toISOString()}..${new Date(toMs).toISOString()}`);
  return ((b.nanos - a.nanos) / (b.atMs - a.atMs)) * 1000;
}

function nodeBusyNanos(): number {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  return (f.reduce((x, y) => x + y, 0) - f[3]! - f[4]!) * 1e7;
}

function nodeWorkingSet(): number {
  const text = readFileSync("/proc/meminfo", "utf8");
  const kib = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(text)![1]) * 1024;
  return kib("MemTotal") - kib("MemAvailable");
}

/** The engine's own one-shot stats of a container, over its API (not through our runtime code). */
function engineCpu(socketPath: string, id: string): Promise<Point> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: `/containers/${id}/stats?stream=false&one-shot=true` }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => {
        try {
          const s = JSON.parse(body) as { read: string; cpu_stats: { cpu_usage: { total_usage: number } } };
          resolve({ atMs: Date.parse(s.read), nanos: s.cpu_stats.cpu_usage.total_usage });
        } catch (e) {
          reject(e);
        }
      });
    });
    req.on("error", reject);
    req.end();
  });
}

/** `1234m` -> 1.234e9 nanocores; `56Mi` -> bytes. */
function quantity(q: string): number {
  const m = /^(\d+)(m|Mi|Ki|Gi)?$/.exec(q);
  assert.ok(m, `quantity "${q}"`);
  const unit = { m: 1e6, Mi: 1 << 20, Ki: 1024, Gi: 1 << 30 }[m![2] as "m"] ?? 1e9;
  return Number(m![1]) * unit;
}

/** `24.5MiB / 7.7GiB` -> bytes of the first figure. */
function dockerBytes(text: string): number {
  const m = /^([\d.]+)(B|KiB|MiB|GiB)/.exec(text.trim());
  assert.ok(m, `docker stats memory "${text}"`);
  return Number(m![1]) * { B: 1, KiB: 1024, MiB: 1 << 20, GiB: 1 << 30 }[m![2] as "B"];
}

function near(label: string, got: number, want: number): void {
  assert.ok(Math.abs(got - want) <= TOLERANCE * want, `${label}: kubectl top ${got.toFixed(0)}, own reading ${want.toFixed(0)} (more than ${TOLERANCE * 100}% apart)`);
}

test.after(async () => {
  recording = false;
  if (engine) await removeNodeContainers(engine.socketPath, NODE).catch(() => {});
  await cluster?.close(false);
  await engine?.release();
});

test("kubectl top node and kubectl top pod --containers print what /proc and the engine's stats say over the same window", async () => {
  engine = await useTestDocker();
  const socketPath = engine.socketPath;
  const runtime = new DockerRuntime({ socketPath });
  try {
    await ensureBusyboxImage(runtime);
  } finally {
    await runtime.close();
  }
  cluster = await createCluster({ dockerSocket: socketPath, nodeName: NODE, resourceUsageInterval: `${INTERVAL_S}s` });
  const c = cluster;
  await c.startCloud();
  await c.issueCert();
  await c.startEdge();
  await waitUntil(async () => (await c.kubectl(["get", "node", NODE, "-o", "jsonpath={.status.conditions[?(@.type=='Ready')].status}"])).stdout === "True", 30_000, "node Ready");

  const pod = `apiVersion: v1
kind: Pod
metadata: {name: load, namespace: default, labels: {app: load}}
spec:
  nodeName: ${NODE}
  terminationGracePeriodSeconds: 1
  containers:
  - {name: burn, image: kubeedge-ts/busybox:latest, imagePullPolicy: IfNotPresent, command: ["sh", "-c", "while :; do :; done"]}
  - {name: hold, image: kubeedge-ts/busybox:latest, imagePullPolicy: IfNotPresent, command: ["sh", "-c", "x=$(head -c 25000000 /dev/zero | tr '\\\\000' a); while sleep 3600; do :; done"]}
`;
  const applied = await c.kubectl(["apply", "-f", "-"], { stdin: pod });
  assert.is(applied.code, 0, applied.stderr);
  const ids = await waitUntil(async () => {
    const apps = (await nodeContainers(socketPath, NODE)).filter((x) => x.pod === "load" && x.role === "app" && x.state === "running");
    const id = (name: string) => apps.find((x) => x.name.includes(`_${name}_`) || x.name.includes(name))?.id;
    return apps.length === 2 && id("burn") && id("hold") ? { burn: id("burn")!, hold: id("hold")! } : undefined;
  }, 60_000, "both containers running");

  // own readings, every 100 ms, until the test ends
  const nodeCpu: Point[] = [], burnCpu: Point[] = [];
  recording = true;
  const recorder = (async () => {
    while (recording) {
      nodeCpu.push({ atMs: Date.now(), nanos: nodeBusyNanos() });
      burnCpu.push(await engineCpu(socketPath, ids.burn).catch(() => burnCpu.at(-1) ?? { atMs: 0, nanos: 0 }));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();

  // the hold container has its ~24 MiB once `sleep` runs in it
  await waitUntil(async () => dockerBytes(await dockerCli(socketPath, ["stats", "--no-stream", "--format", "{{.MemUsage}}", ids.hold])) > 20 * (1 << 20), 60_000, "hold container filled");

  type Raw = { timestamp: string; window: string };
  const raw = async (path: string): Promise<Raw> => {
    const r = await c.kubectl(["get", "--raw", path]);
    assert.is(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as Raw;
  };
  const windowOf = (r: Raw) => {
    const to = Date.parse(r.timestamp);
    return { from: to - parseFloat(r.window) * 1000, to };
  };
  // a report whose window started after the containers were filled and the recorder ran
  const startedAt = Date.now();
  await waitUntil(async () => windowOf(await raw(`/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/load`)).from > startedAt, 30_000, "a report covering recorded time");

  // kubectl top node, checked against /proc over the report's window (retried when a new report lands meanwhile)
  const nodeRow = await waitUntil(async () => {
    const before = await raw(`/apis/metrics.k8s.io/v1beta1/nodes/${NODE}`);
    const top = await c.kubectl(["top", "node", NODE, "--no-headers"]);
    assert.is(top.code, 0, top.stderr);
    const memNow = nodeWorkingSet();
    const after = await raw(`/apis/metrics.k8s.io/v1beta1/nodes/${NODE}`);
    return before.timestamp === after.timestamp ? { cols: top.stdout.trim().split(/\s+/), window: windowOf(after), memNow } : undefined;
  }, 40_000, "kubectl top node within one report");
  assert.is(nodeRow.cols[0], NODE);
  near("node CPU", quantity(nodeRow.cols[1]!), rateOver(nodeCpu, nodeRow.window.from, nodeRow.window.to));
  near("node memory", quantity(nodeRow.cols[3]!), nodeRow.memNow);

  // kubectl top pod --containers, burn's CPU against the engine's counter over the window, hold's memory against docker stats
  const podRows = await waitUntil(async () => {
    const path = `/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/load`;
    const before = await raw(path);
    const top = await c.kubectl(["top", "pod", "-l", "app=load", "--containers", "--no-headers"]);
    assert.is(top.code, 0, top.stderr);
    const after = await raw(path);
    const rows = top.stdout.trim().split("\n").map((l) => l.trim().split(/\s+/));
    return before.timestamp === after.timestamp ? { rows, window: windowOf(after) } : undefined;
  }, 40_000, "kubectl top pod within one report");
  // the held memory does not move: docker stats (which itself samples for a second or two) right after is the same
  const holdMem = dockerBytes(await dockerCli(socketPath, ["stats", "--no-stream", "--format", "{{.MemUsage}}", ids.hold]));
  const row = (name: string) => podRows.rows.find((r) => r[0] === "load" && r[1] === name);
  assert.ok(row("burn") && row("hold"), `rows for burn and hold:\n${podRows.rows.map((r) => r.join(" ")).join("\n")}`);
  const burnWant = rateOver(burnCpu, podRows.window.from, podRows.window.to);
  assert.ok(burnWant > 0.02e9, `the burning container gets CPU (${burnWant} nanocores)`);
  near("burn CPU", quantity(row("burn")![2]!), burnWant);
  near("hold memory", quantity(row("hold")![3]!), holdMem);

  // the selector is applied: no pod has this label
  const none = await c.kubectl(["top", "pod", "-l", "app=nothing"]);
  assert.match(none.stdout + none.stderr, /No resources found|metrics not available/);
  recording = false;
  await recorder;
});

test.run();
