/**
 * `kubectl logs` and `kubectl exec` end to end with real parts: the embedded API with real kubectl 1.32, CloudHub
 * with EdgeController and PodStreamsCloud, EdgeHub over TLS on 127.0.0.1 with MetaManager, Edged on the shared test
 * dockerd and PodStreamsEdge. The pod is created through the API and reaches Edged the way every pod does.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { EdgeController } from "../../lib/cloud/edgecontroller/index.ts";
import { PodStreamsCloud } from "../../lib/cloud/podstreams/index.ts";
import { Edged } from "../../lib/edge/edged/index.ts";
import { DockerRuntime, ensureBusyboxImage } from "../../lib/edge/edged/runtime/index.ts";
import { PodStreamsEdge } from "../../lib/edge/podstreams/index.ts";
import { makePki, nodeCerts, startCloud, startEdge, testLog, type TestCloud, type TestEdge } from "../fixtures/link_env.ts";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.ts";
import { useTestDocker, type TestDocker } from "../support/docker.ts";
import { startKubectl } from "../support/kubectl.ts";
import { waitUntil } from "../support/process.ts";

const NODE = `ps-node-${process.pid}`;
const IMAGE = "kubeedge-ts/busybox:latest";
/** About 5 MB of whole lines: the engine's log driver holds back a last line that has no newline yet. */
const BIG = 17 * 294_118;
const WINDOW = 256 * 1024;

const dir = mkdtempSync(join(tmpdir(), "podstreams-"));
let docker: TestDocker;
let runtime: DockerRuntime;
let api: TestApiServer;
let cloud: TestCloud;
let edge: TestEdge | undefined;
let cloudStreams: PodStreamsCloud;
let edgeStreams: PodStreamsEdge;

test.before(async () => {
  docker = await useTestDocker();
  runtime = new DockerRuntime({ socketPath: docker.socketPath });
  await ensureBusyboxImage(runtime);
  api = await startTestApiServer();
  const pki = await makePki(dir);
  const certs = await nodeCerts(pki, dir, NODE);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(api.env.kubeconfig);
  const log = testLog("cloud");
  cloudStreams = new PodStreamsCloud({ windowBytes: WINDOW, log: log.child("podstreams") });
  cloud = await startCloud(pki, [new EdgeController({ kubeConfig, log: log.child("edgecontroller") }), cloudStreams]);
  api.api.setPodStreams(cloudStreams);
  const edged = new Edged({ nodeName: NODE, dataDir: join(dir, "edged"), runtime, nodeIP: "127.0.0.1", statusIntervalMs: 1000, podResyncMs: 2000 });
  edgeStreams = new PodStreamsEdge({ engine: edged, log: testLog("edge").child("podstreams") });
  edge = await startEdge({ node: NODE, port: cloud.port, certs, dir, modules: [edged, edgeStreams] });
  const pod = {
    apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "default" },
    spec: {
      nodeName: NODE, terminationGracePeriodSeconds: 1,
      containers: [
        { name: "main", image: IMAGE, imagePullPolicy: "IfNotPresent", command: ["sh", "-c", "for i in 1 2 3 4 5; do echo line$i; done; while :; do echo tick; sleep 0.2; done"] },
        { name: "big", image: IMAGE, imagePullPolicy: "IfNotPresent", command: ["sh", "-c", `yes 0123456789abcdef | head -c ${BIG}; exec sleep 3600`] },
      ],
    },
  };
  const created = await api.kubectl(["create", "-f", "-"], { stdin: JSON.stringify(pod) });
  assert.is(created.code, 0, created.stderr);
  await waitUntil(async () => (await api.kubectl(["get", "pod", "web", "-o", "jsonpath={.status.phase}"])).stdout === "Running", 40_000, "pod web running on the edge");
});

test.after(async () => {
  await edge?.stop();
  await cloud?.stop();
  await api?.close();
  if (runtime) {
    const mine = await runtime.listContainers({ "kubeedge-ts.node": NODE });
    await Promise.all(mine.map((c) => runtime.removeContainer(c.id)));
    await runtime.close();
  }
  await docker?.release();
  rmSync(dir, { recursive: true, force: true });
});

test("kubectl logs shows the container's output, and --tail the last lines", async () => {
  const all = await api.kubectl(["logs", "web", "-c", "main"]);
  assert.is(all.code, 0, all.stderr);
  assert.ok(all.stdout.startsWith("line1\nline2\nline3\nline4\nline5\ntick\n"), JSON.stringify(all.stdout.slice(0, 80)));
  const tail = await api.kubectl(["logs", "web", "-c", "main", "--tail=2"]);
  assert.is(tail.stdout, "tick\ntick\n");
  const defaulted = await api.kubectl(["logs", "web", "--tail=1"]);
  assert.is(defaulted.stdout, "tick\n");
  assert.is(defaulted.stderr, 'Defaulted container "main" out of: main, big\n');
  const stamped = await api.kubectl(["logs", "web", "-c", "main", "--tail=1", "--timestamps"]);
  assert.match(stamped.stdout, /^\d{4}-\d\d-\d\dT[\d:.]+Z tick\n$/);
  const previous = await api.kubectl(["logs", "web", "-c", "main", "--previous"]);
  assert.is(previous.code, 1);
  assert.match(previous.stderr, /Error from server \(NotFound\): Cannot read logs of container "main" of pod "default\/web": Cannot find a previous attempt/);
});

test("kubectl logs -f streams new lines until kubectl is killed, and the stream ends on both sides", async () => {
  const child = startKubectl(api.env, ["logs", "-f", "web", "-c", "main", "--tail=0"]);
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  const exited = new Promise((r) => child.once("close", r));
  await waitUntil(() => (out.match(/tick/g) ?? []).length >= 3, 10_000, "three new ticks");
  assert.is(cloudStreams.stats().active, 1);
  assert.is(edgeStreams.stats().active, 1);
  child.kill("SIGINT");
  await exited;
  await waitUntil(() => cloudStreams.stats().active === 0 && edgeStreams.stats().active === 0, 5000, "stream closed on cloud and edge");
});

test("kubectl exec prints a file, passes the exit code and stdin", async () => {
  const host = await api.kubectl(["exec", "web", "-c", "main", "--", "cat", "/etc/hostname"]);
  assert.is(host.code, 0, host.stderr);
  assert.is(host.stdout, "web\n");
  const failed = await api.kubectl(["exec", "web", "-c", "main", "--", "sh", "-c", "echo bad >&2; exit 3"]);
  assert.is(failed.code, 3);
  assert.is(failed.stdout, "");
  assert.match(failed.stderr, /^bad\ncommand terminated with exit code 3\n$/);
  const echo = await api.kubectl(["exec", "-i", "web", "-c", "main", "--", "cat"], { stdin: "hi\n" });
  assert.is(echo.code, 0, echo.stderr);
  assert.is(echo.stdout, "hi\n");
  const counted = await api.kubectl(["exec", "-i", "web", "-c", "main", "--", "wc", "-c"], { stdin: "z".repeat(3_000_000), timeoutMs: 60_000 });
  assert.is(counted.stdout.trim(), "3000000", "3 MB of stdin within the node's credit");
  const missing = await api.kubectl(["exec", "web", "-c", "main", "--", "/no/such/binary"]);
  assert.not.equal(missing.code, 0);
});

test("5 MB of output arrives complete through exec and logs, with at most the window buffered", async () => {
  const before = cloudStreams.stats().bytesIn;
  let started = Date.now();
  const ex = await api.kubectl(["exec", "web", "-c", "main", "--", "sh", "-c", `yes 0123456789abcdef | head -c ${BIG}`], { timeoutMs: 60_000 });
  const execMs = Date.now() - started;
  assert.is(ex.code, 0, ex.stderr);
  assert.is(ex.stdout.length, BIG);
  assert.ok(ex.stdout === "0123456789abcdef\n".repeat(BIG / 17), "content intact");
  started = Date.now();
  const logs = await api.kubectl(["logs", "web", "-c", "big"], { timeoutMs: 60_000 });
  const logsMs = Date.now() - started;
  assert.is(logs.stdout.length, BIG);
  assert.ok(logs.stdout === ex.stdout, "log content intact");
  const s = cloudStreams.stats();
  assert.ok(s.bytesIn - before >= 2 * BIG);
  assert.ok(s.maxBufferedBytes <= WINDOW, `cloud buffered ${s.maxBufferedBytes} bytes for one stream`);
  console.log(`  [podstreams] 5 MB: exec ${execMs} ms (${(BIG / 1e6 / (execMs / 1000)).toFixed(1)} MB/s), logs ${logsMs} ms; most buffered ${s.maxBufferedBytes} bytes`);
});

test("a pod on a node without a link gets the API's not-connected answer", async () => {
  const ghost = { apiVersion: "v1", kind: "Pod", metadata: { name: "ghost" }, spec: { nodeName: "ghost-node", containers: [{ name: "c", image: IMAGE }] } };
  assert.is((await api.kubectl(["create", "-f", "-"], { stdin: JSON.stringify(ghost) })).code, 0);
  const logs = await api.kubectl(["logs", "ghost"]);
  assert.is(logs.code, 1);
  assert.match(logs.stderr, /node "ghost-node": Cannot reach node "ghost-node": not connected/);
  const exec = await api.kubectl(["exec", "ghost", "--", "true"]);
  assert.is(exec.code, 1);
  assert.match(exec.stderr, /not connected/);
});

test("the edge going away ends a running kubectl logs -f", async () => {
  const child = startKubectl(api.env, ["logs", "-f", "web", "-c", "main", "--tail=0"]);
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once("close", (code) => r(code)));
  await waitUntil(() => out.includes("tick"), 10_000, "a tick");
  await edge!.stop();
  edge = undefined;
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
  assert.is(cloudStreams.stats().active, 0);
});

test.run();
