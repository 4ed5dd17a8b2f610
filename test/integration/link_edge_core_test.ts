import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { silentLogger } from "../../lib/log/index.ts";
import { openStore } from "../../lib/store/index.ts";
import { FixtureProcess, type Line } from "../fixtures/link_rpc.ts";
import { ROOT, runToEnd, startBackground, tsArgs, waitUntil } from "../support/process.ts";

const dir = mkdtempSync(join(tmpdir(), "link-edge-core-"));
const statePath = join(dir, "state.json");
const edgeData = join(dir, "edge");
const cm = (name: string, rv: number) => ({
  type: "configmap",
  object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default", resourceVersion: String(rv) }, data: { v: name } },
});
const procs: FixtureProcess[] = [];

function cloudProcess(port = 0): FixtureProcess {
  const p = new FixtureProcess("test/fixtures/link_cloud.ts", ["--dir", dir, "--state", statePath, "--port", String(port)]);
  procs.push(p);
  return p;
}

const nodeStats = async (cloud: FixtureProcess) => (await cloud.call({ cmd: "stats", node: "edge-1" })).node as Line;

test("the real edge_core links with a certificate from `cloud_core cert`, survives a cloud SIGKILL and stores what the cloud sends", async () => {
  writeFileSync(statePath, JSON.stringify({ rv: 2, nodes: { "edge-1": { "default/configmap/a": cm("a", 1), "default/configmap/b": cm("b", 2) } } }));
  let cloud = cloudProcess();
  const port = (await cloud.waitFor((l) => l.event === "listening")).port as number;

  // The fixture's CA lives in <dir>/pki, which is where cloud.yaml's dataDir puts it.
  writeFileSync(join(dir, "cloud.yaml"), `dataDir: ${dir}\n`);
  const cert = await runToEnd(...tsArgs(join(ROOT, "cmd/cloud_core.ts"), "cert", "--node", "edge-1", "--out", join(edgeData, "certs"), "--config", join(dir, "cloud.yaml")));
  assert.is(cert.code, 0, cert.stderr);

  writeFileSync(join(dir, "edge.yaml"), [
    "nodeName: edge-1",
    `dataDir: ${edgeData}`,
    "edgeHub:",
    `  server: 127.0.0.1:${port}`,
    "  heartbeat: 1s",
    "  reconnectMax: 1s",
    "edged:",
    "  enable: false",
    "eventBus:",
    "  internal:",
    "    address: 127.0.0.1:0",
    "",
  ].join("\n"));
  const edge = startBackground(...tsArgs(join(ROOT, "cmd/edge_core.ts"), "--config", join(dir, "edge.yaml")));
  await edge.waitFor(/connected to cloud/, 30_000);
  await waitUntil(async () => (await nodeStats(cloud)).acked === 2, 20_000, "a and b stored and ACKed");

  await cloud.kill("SIGKILL");
  await edge.waitFor(/disconnected from cloud/, 10_000);
  const state = JSON.parse(readFileSync(statePath, "utf8"));
  delete state.nodes["edge-1"]["default/configmap/a"];
  state.nodes["edge-1"]["default/configmap/c"] = cm("c", 3);
  state.rv = 3;
  writeFileSync(statePath, JSON.stringify(state));
  cloud = cloudProcess(port);
  await cloud.waitFor((l) => l.event === "listening");
  await waitUntil(async () => (await nodeStats(cloud)).acked === 2, 20_000, "b and c ACKed after the cloud returned");
  assert.ok(edge.child.exitCode === null, "edge_core kept running");

  const exit = await edge.kill("SIGTERM");
  assert.is(exit.code, 0, edge.output());
  const store = await openStore(join(edgeData, "edge.db"), { log: silentLogger });
  const rows = store.all<{ key: string; resource_version: string }>("SELECT key, resource_version FROM meta WHERE type = 'configmap' ORDER BY key");
  await store.close();
  assert.equal(rows, [{ key: "default/configmap/b", resource_version: "2" }, { key: "default/configmap/c", resource_version: "3" }]);
  await cloud.kill("SIGTERM");
});

test.after(async () => {
  for (const p of procs) await p.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});
test.run();
