/**
 * A fleet node's whole life with the binary a user copies to a device: cloud_core (embedded API, node certificates
 * of one minute so renewal happens within the test) makes a join token; the edge_core binary built by build.ts joins
 * with the one printed command from a folder holding only its device settings, turns Ready and runs a pod; its
 * certificate renews while the pod keeps running and the link stays up; `kubectl delete node` locks it out; a new
 * token lets it back.
 *
 * The steps share one cloud and one device and run in order: each is what a user would check at that point.
 *
 * @module
 */
import { X509Certificate } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type TestDocker, useTestDockerWithBusybox } from "../support/docker.ts";
import { kubectl, type KubectlEnv } from "../support/kubectl.ts";
import { type Background, freePort, ROOT, runToEnd, startBackground, tsArgs, waitUntil } from "../support/process.ts";
import { startSourceCloud } from "../support/source_cloud.ts";
import { nodeContainers, removeNodeContainers } from "./_engine.ts";
import { buildBinaries } from "./binaries_join_harness.ts";

const NODE = `fleet-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), "ke-fleet-"));
const device = join(dir, "device");
const procs: Background[] = [];
let engine: TestDocker | undefined;
let binary = "";
let env: KubectlEnv;
let edge: Background | undefined;
let containerId = "";

const cloudCore = (...args: string[]) =>
  runToEnd(...tsArgs(join(ROOT, "cmd/cloud_core.ts"), ...args, "--config", join(dir, "cloud.yaml")), { timeoutMs: 60_000 });

/** `cloud_core token create` for the node; returns the arguments of the edge_core command it prints. */
async function joinCommand(): Promise<string[]> {
  const r = await cloudCore("token", "create", "--ttl", "10m", "--node", NODE);
  assert.is(r.code, 0, r.stderr);
  const last = r.stdout.trimEnd().split("\n").pop()!;
  assert.match(last, /^edge_core join --cloud /);
  return last.split(" ").slice(1);
}

/** Starts the binary with `args` in the device folder, as a user would there. */
function runEdge(args: string[]): Background {
  const p = startBackground(binary, args, { cwd: device });
  procs.push(p);
  return p;
}

async function readyStatus(): Promise<string> {
  const r = await kubectl(env, ["get", "node", NODE, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"]);
  return r.code === 0 ? r.stdout.trim() : `absent (${r.stderr.trim()})`;
}

function certSerial(): string {
  return new X509Certificate(readFileSync(join(device, "edge/certs/node.crt"))).serialNumber;
}

function logs(): string {
  return edge ? edge.output() : "";
}

test.before(async () => {
  engine = await useTestDockerWithBusybox();
  binary = await buildBinaries("x64", join(dir, "dist"));
  const cloud = await startSourceCloud(dir, "nodeCertValidity: 1m");
  procs.push(cloud.proc);
  env = cloud.env;
  // The device's own settings: which engine runs its pods and where its MQTT broker listens (a free port, not 1883).
  // join adds the node's name, the cloud and the certificates.
  mkdirSync(device);
  writeFileSync(join(device, "edge.yaml"), [
    `edged: {dockerSocket: ${engine.socketPath}}`,
    `eventBus: {internal: {address: "127.0.0.1:${await freePort()}"}}`,
    "metrics: {enable: false}",
    "edgeHub: {reconnectMax: 1s}",
    "",
  ].join("\n"));
});

test.after(async () => {
  for (const p of procs.reverse()) await p.kill("SIGKILL");
  if (engine) {
    await removeNodeContainers(engine.socketPath, NODE).catch(() => 0);
    await engine.release();
  }
  rmSync(dir, { recursive: true, force: true });
});

test("the built edge_core joins with the printed command and its node turns Ready", async () => {
  edge = runEdge([...(await joinCommand()), "--config", "edge.yaml", "--data-dir", "edge", "--start"]);
  await waitUntil(async () => (await readyStatus()) === "True", 60_000, `node ${NODE} Ready`).catch((e: Error) => {
    throw new Error(`${e.message}\n--- edge_core ---\n${logs().slice(-4000)}`);
  });
});

test("a pod scheduled to the node runs on its engine", async () => {
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "ticker", namespace: "default" },
    spec: {
      nodeName: NODE,
      containers: [{ name: "ticker", image: "kubeedge-ts/busybox:latest", imagePullPolicy: "IfNotPresent", command: ["sh", "-c", "while true; do date; sleep 1; done"] }],
    },
  };
  writeFileSync(join(dir, "pod.json"), JSON.stringify(pod));
  const r = await kubectl(env, ["apply", "-f", join(dir, "pod.json")]);
  assert.is(r.code, 0, r.stderr);
  await waitUntil(async () => {
    const p = await kubectl(env, ["get", "pod", "ticker", "-o", "jsonpath={.status.phase}"]);
    return p.stdout.trim() === "Running";
  }, 60_000, "pod ticker Running").catch(async (e: Error) => {
    const pod = await kubectl(env, ["get", "pod", "ticker", "-o", "jsonpath={.status}"]);
    throw new Error(`${e.message}\nstatus: ${pod.stdout}\n--- edge_core ---\n${logs().slice(-4000)}`);
  });
  const running = (await nodeContainers(engine!.socketPath, NODE)).filter((c) => c.role !== "sandbox" && c.state === "running");
  assert.is(running.length, 1, JSON.stringify(running));
  containerId = running[0]!.id;
});

test("the node's certificate renews over the link while the pod keeps running and the link stays up", async () => {
  const before = certSerial();
  const connectedBefore = logs().split("connected to cloud").length;
  // renewal is due at two thirds of the one-minute lifetime
  await waitUntil(() => certSerial() !== before, 70_000, "node.crt replaced by a renewed certificate").catch((e: Error) => {
    throw new Error(`${e.message}\n--- edge_core ---\n${logs().slice(-4000)}`);
  });
  assert.match(logs(), /node certificate renewed/);
  assert.is(logs().split("connected to cloud").length, connectedBefore, "the link was not re-dialled for the renewal");
  const running = (await nodeContainers(engine!.socketPath, NODE)).filter((c) => c.role !== "sandbox" && c.state === "running");
  assert.equal(running.map((c) => c.id), [containerId], "the same container keeps running");
  assert.is(await readyStatus(), "True");
  // logs travel cloud -> edge -> engine over the link that now authenticates with the renewed certificate's session
  const l = await kubectl(env, ["logs", "ticker", "--tail", "1"]);
  assert.is(l.code, 0, l.stderr);
  assert.ok(l.stdout.trim().length > 0, "kubectl logs reaches the container");
});

test("kubectl delete node locks the node out: it does not come back", async () => {
  const r = await kubectl(env, ["delete", "node", NODE, "--wait=false"]);
  assert.is(r.code, 0, r.stderr);
  await waitUntil(() => /revoked this node's certificate/.test(logs()), 30_000, "edge_core logs that it was revoked").catch((e: Error) => {
    throw new Error(`${e.message}\n--- edge_core ---\n${logs().slice(-4000)}`);
  });
  // a window in which a node that could still link would have registered again (it retries every second)
  await new Promise((done) => setTimeout(done, 5_000));
  assert.match(await readyStatus(), /^absent/);
});

test("a new token lets the node back in", async () => {
  await edge!.kill("SIGTERM");
  edge = runEdge([...(await joinCommand()), "--config", "edge.yaml", "--data-dir", "edge", "--force", "--start"]);
  await waitUntil(async () => (await readyStatus()) === "True", 60_000, `node ${NODE} Ready again`).catch((e: Error) => {
    throw new Error(`${e.message}\n--- edge_core ---\n${logs().slice(-4000)}`);
  });
});

test.run();
