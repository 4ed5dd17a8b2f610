import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { FixtureProcess, type Line } from "../fixtures/link_rpc.ts";
import { makePki, nodeCerts } from "../fixtures/link_env.ts";
import { waitUntil } from "../support/process.ts";

const dir = mkdtempSync(join(tmpdir(), "link-autonomy-"));
const statePath = join(dir, "state.json");
const procs: FixtureProcess[] = [];

type Obj = { metadata: { name: string; resourceVersion: string }; data?: Record<string, string> };
const cm = (name: string, rv: number, v: string) => ({
  type: "configmap",
  object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default", resourceVersion: String(rv) }, data: { v } },
});

function startCloud(port = 0): FixtureProcess {
  const p = new FixtureProcess("test/fixtures/link_cloud.ts", ["--dir", dir, "--state", statePath, "--port", String(port), "--ack-timeout-ms", "1000"]);
  procs.push(p);
  return p;
}

function startEdge(port: number, certs: string): FixtureProcess {
  const p = new FixtureProcess("test/fixtures/link_edge.ts", [
    "--dir", join(dir, "edge"), "--node", "edge-1", "--port", String(port), "--certs", certs,
    "--heartbeat-ms", "500", "--reconnect-min-ms", "100", "--reconnect-max-ms", "800",
  ]);
  procs.push(p);
  return p;
}

async function configmaps(edge: FixtureProcess): Promise<Record<string, string>> {
  const r = await edge.call({ cmd: "query", resource: "*/configmap" });
  assert.is(r.op, "response");
  return Object.fromEntries((r.content as Obj[]).map((o) => [o.metadata.name, `${o.data?.v}@${o.metadata.resourceVersion}`]));
}

test("the edge serves its store while the cloud is SIGKILLed and after its own restart, then converges when the cloud returns", async () => {
  const pki = await makePki(dir);
  const certs = dirname((await nodeCerts(pki, dir, "edge-1")).cert);
  writeFileSync(statePath, JSON.stringify({
    rv: 4,
    nodes: { "edge-1": Object.fromEntries([cm("a", 1, "a1"), cm("b", 2, "b1"), cm("c", 3, "c1")].map((o) => [`default/configmap/${o.object.metadata.name}`, o])) },
  }));

  let cloud = startCloud();
  const port = (await cloud.waitFor((l) => l.event === "listening")).port as number;
  let edge = startEdge(port, certs);
  await edge.waitFor((l) => l.event === "started");
  await waitUntil(async () => Object.keys(await configmaps(edge)).length === 3, 20_000, "edge holds a, b, c");

  // The cloud dies hard.
  assert.is((await cloud.kill("SIGKILL")).signal, "SIGKILL");
  await waitUntil(async () => (await edge.call({ cmd: "stats" })).state !== "connected", 10_000, "edge sees the link drop");
  assert.equal(await configmaps(edge), { a: "a1@1", b: "b1@2", c: "c1@3" }, "offline queries answered from the store");
  const one = await edge.call({ cmd: "query", resource: "default/configmap/a" });
  assert.is((one.content as Obj).data?.v, "a1");
  const missing = await edge.call({ cmd: "query", resource: "default/configmap/zzz" });
  assert.equal([missing.op, missing.content], ["error", "not found"]);
  await edge.call({ cmd: "report", resource: "default/podstatus/p1", content: { UID: "u1", Name: "p1", Status: { phase: "Running" } } });
  await waitUntil(async () => ((await edge.call({ cmd: "stats" })).hub as Line).kept === 1, 10_000, "report kept");

  // The edge dies hard too and comes back while the cloud is still down.
  assert.is((await edge.kill("SIGKILL")).signal, "SIGKILL");
  edge = startEdge(port, certs);
  await edge.waitFor((l) => l.event === "started", 20_000);
  assert.equal(await configmaps(edge), { a: "a1@1", b: "b1@2", c: "c1@3" }, "same data after an offline restart");
  assert.is((await edge.call({ cmd: "stats" })).kept, 1, "the offline report survived the restart");

  // Meanwhile the cluster changed: b deleted, a updated, d created.
  const state = JSON.parse(readFileSync(statePath, "utf8"));
  const objs = state.nodes["edge-1"];
  delete objs["default/configmap/b"];
  objs["default/configmap/a"] = cm("a", 5, "a2");
  objs["default/configmap/d"] = cm("d", 6, "d1");
  state.rv = 6;
  writeFileSync(statePath, JSON.stringify(state));

  cloud = startCloud(port);
  await cloud.waitFor((l) => l.event === "listening");
  await waitUntil(async () => JSON.stringify(await configmaps(edge)) === JSON.stringify({ a: "a2@5", c: "c1@3", d: "d1@6" }), 30_000, "edge converges");
  await waitUntil(async () => {
    const s = await cloud.call({ cmd: "stats", node: "edge-1" });
    return (s.reports as Record<string, unknown>)["edge-1 update default/podstatus/p1"];
  }, 10_000, "offline report reaches the cloud");
  assert.match(cloud.log, /node connected node=edge-1/);

  await edge.kill("SIGTERM");
  await cloud.kill("SIGTERM");
});

test.after(async () => {
  for (const p of procs) await p.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});
test.run();
