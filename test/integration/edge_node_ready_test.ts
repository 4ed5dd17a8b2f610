/**
 * What `kubectl describe node` says about an edge node, with real cloud_core (embedded API), real edge_core processes
 * and real kubectl: an edge whose Docker socket does not exist is NotReady with kubelet's reason and a message naming
 * the socket and the error, and says so in a NodeNotReady Event; an edge with `edged.enable: false` turns Ready for devices and offers no pod slots.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kubectl, type KubectlEnv } from "../support/kubectl.ts";
import { type Background, freePort, ROOT, runToEnd, startBackground, tsArgs, waitUntil } from "../support/process.ts";

const dir = mkdtempSync(join(tmpdir(), "ke-node-ready-"));
const run = `${process.pid}`;
const NO_DOCKER = `nr-nodocker-${run}`, DEVICES_ONLY = `nr-devices-${run}`;
const missingSocket = join(dir, "no-such-docker.sock");
let cloud: Background;
const edges: Background[] = [];
let env: KubectlEnv;
let hubPort = 0;

type Condition = { type: string; status: string; reason?: string; message?: string };

async function readyCondition(node: string): Promise<Condition | undefined> {
  const r = await kubectl(env, ["get", "node", node, "-o", "json"]);
  if (r.code !== 0) return undefined;
  const conditions = (JSON.parse(r.stdout).status?.conditions ?? []) as Condition[];
  return conditions.find((c) => c.type === "Ready");
}

/** Issues the node's certificate with `cloud_core cert` (as the README shows) and starts edge_core with `edged`. */
async function startEdge(node: string, edged: string[]): Promise<void> {
  const certs = join(dir, node, "certs");
  const cert = await runToEnd(...tsArgs(join(ROOT, "cmd/cloud_core.ts"), "cert", "--node", node, "--out", certs, "--config", join(dir, "cloud.yaml")));
  assert.is(cert.code, 0, cert.stderr);
  const config = join(dir, `${node}.yaml`);
  writeFileSync(config, [
    `nodeName: ${node}`,
    `dataDir: ${join(dir, node)}`,
    "edgeHub:",
    `  server: 127.0.0.1:${hubPort}`,
    "  reconnectMax: 1s",
    "edged:",
    ...edged.map((line) => `  ${line}`),
    "  statusInterval: 500ms",
    "eventBus:",
    "  internal:",
    "    address: 127.0.0.1:0",
    "",
  ].join("\n"));
  const edge = startBackground(...tsArgs(join(ROOT, "cmd/edge_core.ts"), "--config", config));
  edges.push(edge);
  await edge.waitFor(/edge_core started/, 60_000);
}

test.before(async () => {
  hubPort = await freePort();
  const apiPort = await freePort();
  writeFileSync(join(dir, "cloud.yaml"), [
    `dataDir: ${join(dir, "cloud")}`,
    `cloudHub: {address: "127.0.0.1:${hubPort}"}`,
    `apiserver: {address: "127.0.0.1:${apiPort}"}`,
    "",
  ].join("\n"));
  cloud = startBackground(...tsArgs(join(ROOT, "cmd/cloud_core.ts"), "--config", join(dir, "cloud.yaml")));
  await cloud.waitFor(/cloud_core started/, 60_000);
  env = { kubeconfig: join(dir, "cloud/kubeconfig"), home: join(dir, "home") };
});

test.after(async () => {
  await Promise.all(edges.map((e) => e.kill("SIGTERM")));
  await cloud?.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
});

test("an edge without its Docker socket is NotReady, and `kubectl describe node` says which socket and why", async () => {
  await startEdge(NO_DOCKER, [`dockerSocket: ${missingSocket}`]);
  const ready = await waitUntil(() => readyCondition(NO_DOCKER), 20_000, `${NO_DOCKER} registered with a Ready condition`);
  if (!ready) throw new Error("unreachable: waitUntil returns a value");
  assert.is(ready.status, "False");
  assert.is(ready.reason, "KubeletNotReady");
  assert.is(ready.message, `container runtime is down: cannot reach ${missingSocket}: ENOENT`);
  const described = await kubectl(env, ["describe", "node", NO_DOCKER]);
  assert.is(described.code, 0, described.stderr);
  const line = described.stdout.split("\n").find((l) => /^\s+Ready\s/.test(l)) ?? "";
  assert.match(line, /\bFalse\b/);
  assert.match(line, /KubeletNotReady/);
  assert.ok(line.includes(`container runtime is down: cannot reach ${missingSocket}: ENOENT`), `describe shows the reason: ${line}`);
  // the edge's NodeNotReady Event, with the reason and the socket, is among the node's events
  const said = `Node ${NO_DOCKER} status is now: NodeNotReady (ContainerRuntimeDown: container runtime is down: cannot reach ${missingSocket}: ENOENT)`;
  const events = await waitUntil(async () => {
    const r = await kubectl(env, ["describe", "node", NO_DOCKER]);
    return r.stdout.includes(said) ? r.stdout.slice(r.stdout.indexOf("\nEvents:")) : "";
  }, 20_000, "NodeNotReady event in describe node");
  assert.match(events, /\n\s+Warning\s+NodeNotReady\s/);
});

test("an edge with `edged.enable: false` turns Ready for devices and offers no pod slots", async () => {
  await startEdge(DEVICES_ONLY, ["enable: false"]);
  await waitUntil(async () => (await readyCondition(DEVICES_ONLY))?.status === "True", 20_000, `${DEVICES_ONLY} Ready`);
  const ready = await readyCondition(DEVICES_ONLY);
  assert.match(ready?.message ?? "", /devices only \(edged\.enable: false\)/);
  const pods = await kubectl(env, ["get", "node", DEVICES_ONLY, "-o", "jsonpath={.status.allocatable.pods}"]);
  assert.is(pods.stdout.trim(), "0", "the scheduler gets no pod slot on a node that runs no pods");
});

test.run();
