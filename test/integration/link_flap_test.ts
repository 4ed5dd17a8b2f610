import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { FlakyProxy } from "../fixtures/link_flaky_proxy.ts";
import { FixtureProcess, type Line } from "../fixtures/link_rpc.ts";
import { makePki, nodeCerts } from "../fixtures/link_env.ts";
import { waitUntil } from "../support/process.ts";

const dir = mkdtempSync(join(tmpdir(), "link-flap-"));
const procs: FixtureProcess[] = [];
const COUNT = 1000;

type Obj = { metadata: { name: string; resourceVersion: string } };

test("1,000 messages sent while the link flaps all land in the edge store exactly once, newest version each", async () => {
  const pki = await makePki(dir);
  const certs = dirname((await nodeCerts(pki, dir, "edge-1")).cert);
  const statePath = join(dir, "state.json");
  const cloud = new FixtureProcess("test/fixtures/link_cloud.ts", ["--dir", dir, "--state", statePath, "--ack-timeout-ms", "500"]);
  procs.push(cloud);
  const port = (await cloud.waitFor((l) => l.event === "listening")).port as number;
  const proxy = await FlakyProxy.start(port);
  const edge = new FixtureProcess("test/fixtures/link_edge.ts", [
    "--dir", join(dir, "edge"), "--node", "edge-1", "--port", String(proxy.port), "--certs", certs,
    "--heartbeat-ms", "500", "--reconnect-min-ms", "20", "--reconnect-max-ms", "200",
  ]);
  procs.push(edge);
  await waitUntil(async () => (await edge.call({ cmd: "stats" })).state === "connected", 20_000, "edge connected");

  proxy.flap(150, 400);
  await cloud.call({ cmd: "burst", node: "edge-1", count: COUNT, prefix: "cm-", batch: 25, pauseMs: 40 }, 60_000);
  // A second round of updates to the first 200 objects, also while flapping: the newest version must win.
  await cloud.call({ cmd: "burst", node: "edge-1", count: 200, prefix: "cm-", batch: 25, pauseMs: 40 }, 60_000);
  const sent = (await cloud.call({ cmd: "stats", node: "edge-1" })).node as Line;
  await waitUntil(async () => ((await cloud.call({ cmd: "stats", node: "edge-1" })).node as Line).pending === 0, 45_000, "all messages ACKed while flapping");
  proxy.steady();
  const cuts = proxy.cuts;

  const stats = await edge.call({ cmd: "stats" });
  const meta = stats.meta as Line;
  const list = await edge.call({ cmd: "query", resource: "*/configmap" }, 30_000);
  const objects = list.content as Obj[];
  assert.is(objects.length, COUNT, "one row per object");
  const want = JSON.parse(readFileSync(statePath, "utf8")).nodes["edge-1"] as Record<string, { object: Obj }>;
  for (const o of objects) {
    assert.is(o.metadata.resourceVersion, want[`default/configmap/${o.metadata.name}`].object.metadata.resourceVersion, `${o.metadata.name} has the newest version`);
  }
  const rv = (i: number) => Number(objects.find((o) => o.metadata.name === `cm-${i}`)!.metadata.resourceVersion);
  // Versions were issued in order: 1..1000 for the first round, then 1001..1200 for cm-0..cm-199.
  for (let i = 1; i < COUNT; i++) if (i !== 200) assert.ok(rv(i) > rv(i - 1), `versions increase at cm-${i}`);
  assert.equal([rv(0), rv(199), rv(200), rv(COUNT - 1)], [COUNT + 1, COUNT + 200, 201, COUNT]);
  assert.is(meta.stored, COUNT + 200, "each of the 1,200 versions was written exactly once");
  const node = (await cloud.call({ cmd: "stats", node: "edge-1" })).node as Line;
  assert.ok(cuts >= 5, `the link was cut ${cuts} times`);
  assert.ok((node.connects as number) >= 5, `edge reconnected ${node.connects} times`);
  assert.ok((node.resent as number) > 0 || (meta.duplicates as number) > 0, "something had to be sent again");
  console.log(`flap: ${cuts} cuts, ${node.connects} links, out=${node.out} resent=${node.resent} acked=${node.acked}, edge stored=${meta.stored} duplicates=${meta.duplicates} stale=${meta.stale}, before wait pending=${sent.pending}`);

  await edge.kill("SIGTERM");
  await cloud.kill("SIGTERM");
  await proxy.close();
});

test.after(async () => {
  for (const p of procs) await p.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});
test.run();
