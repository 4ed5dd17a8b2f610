/**
 * The token flow of README's "Add a node", from the entry points under tsx: cloud_core (embedded API) runs,
 * `cloud_core token create` prints a command, and running that `edge_core join ... --start` writes the node's files
 * and brings the node to Ready. Also a one-line failure (wrong token); the others are in test/cloud/join.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as yaml from "js-yaml";
import { kubectl, type KubectlEnv } from "../support/kubectl.ts";
import { startSourceCloud } from "../support/source_cloud.ts";
import { type Background, freePort, ROOT, runToEnd, startBackground, tsArgs, waitUntil } from "../support/process.ts";

const dir = mkdtempSync(join(tmpdir(), "ke-join-cli-"));
const NODE = `join-cli-${process.pid}`;
const procs: Background[] = [];
let hubPort = 0;
let env: KubectlEnv;
let joinCommand: string[] = [];

const cloudCore = (...args: string[]) => runToEnd(...tsArgs(join(ROOT, "cmd/cloud_core.ts"), ...args, "--config", join(dir, "cloud.yaml")), { timeoutMs: 60_000 });
const edgeCore = (...args: string[]) => runToEnd(...tsArgs(join(ROOT, "cmd/edge_core.ts"), ...args), { timeoutMs: 60_000 });

test.before(async () => {
  const cloud = await startSourceCloud(dir);
  procs.push(cloud.proc);
  hubPort = cloud.hubPort;
  env = cloud.env;
});

test.after(async () => {
  for (const p of procs.reverse()) await p.kill("SIGTERM");
  await kubectl(env, ["delete", "node", "--ignore-not-found", NODE]).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

test("cloud_core token create prints the edge_core join command to run on the device", async () => {
  const r = await cloudCore("token", "create", "--ttl", "10m", "--node", NODE);
  assert.is(r.code, 0, r.stderr);
  const last = r.stdout.trimEnd().split("\n").pop()!;
  assert.match(last, new RegExp(`^edge_core join --cloud 127\\.0\\.0\\.1:${hubPort} --token KE1[0-9a-f]{64}::[a-z0-9]{6}\\.[a-z0-9]{16} --node ${NODE}$`));
  joinCommand = last.split(" ").slice(1);
});

test("edge_core join fails with one line and exit code 1 for a wrong token", async () => {
  const edgeDir = join(dir, "bad");
  const wrong = joinCommand.map((a) => a.replace(/\.[a-z0-9]{16}$/, ".aaaaaaaaaaaaaaaa"));
  const r1 = await edgeCore(...wrong, "--data-dir", edgeDir);
  assert.is(r1.code, 1);
  assert.is(r1.stderr, `edge_core: join refused by cloud 127.0.0.1:${hubPort} (HTTP 401): unknown or wrong join token\n`);
});

test("edge_core join --start writes the key, certificates and edge.yaml, then runs until the node is Ready", async () => {
  const edgeDir = join(dir, "edge");
  const config = join(dir, "edge.yaml");
  // the device's own settings stay; join adds the node, the cloud and the certificates
  writeFileSync(config, "edged: {enable: false}\neventBus: {internal: {address: \"127.0.0.1:0\"}}\nmetrics: {enable: false}\nedgeHub: {reconnectMax: 1s}\n");
  const edge = startBackground(...tsArgs(join(ROOT, "cmd/edge_core.ts"), ...joinCommand, "--config", config, "--data-dir", edgeDir, "--start"));
  procs.push(edge);
  await edge.waitFor(new RegExp(`node "${NODE}" joined cloud 127\\.0\\.0\\.1:${hubPort}`), 60_000);
  for (const f of ["certs/ca.crt", "certs/node.crt", "certs/node.key"]) assert.is(statSync(join(edgeDir, f)).mode & 0o777, 0o600, f);
  assert.is(statSync(join(edgeDir, "certs")).mode & 0o777, 0o700);
  assert.is(statSync(edgeDir).mode & 0o777, 0o700);
  const written = yaml.load(readFileSync(config, "utf8")) as any;
  assert.equal([written.nodeName, written.dataDir, written.edgeHub.server, written.edgeHub.reconnectMax, written.edged.enable],
    [NODE, edgeDir, `127.0.0.1:${hubPort}`, "1s", false]);
  assert.is(written.edgeHub.tls.key, join(edgeDir, "certs/node.key"));
  await waitUntil(async () => {
    const r = await kubectl(env, ["get", "node", NODE, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"]);
    return r.stdout.trim() === "True";
  }, 60_000, `node ${NODE} Ready`);

  const again = await edgeCore(...joinCommand, "--config", config, "--data-dir", edgeDir);
  assert.is(again.code, 1);
  assert.is(again.stderr, `edge_core: ${join(edgeDir, "certs/node.key")} exists: this device has joined before; --force replaces its key and certificate\n`);
});

test.run();
