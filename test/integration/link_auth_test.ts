import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { newMessage } from "../../lib/model/index.ts";
import { capturingLogger, makePki, nodeCerts, type RawLink, rawLink, Recorder, startCloud, startEdge } from "../fixtures/link_env.ts";
import { waitUntil } from "../support/process.ts";

const dir = mkdtempSync(join(tmpdir(), "link-auth-"));
const pki = await makePki(dir);
const certs1 = await nodeCerts(pki, dir, "edge-1");
const certs2 = await nodeCerts(pki, dir, "edge-2");

test("a node connects with its certificate, is announced to cloud modules, and its data is stored and ACKed", async () => {
  const ec = new Recorder("edgecontroller");
  const cloud = await startCloud(pki, [ec]);
  const edge = await startEdge({ node: "edge-1", port: cloud.port, certs: certs1, dir });
  await waitUntil(() => cloud.hub.connectedNodes().includes("edge-1"), 10_000, "edge-1 connected");
  await cloud.bus.send("cloudhub", newMessage({
    source: "edgecontroller", group: "resource", operation: "insert", resource: "node/edge-1/default/configmap/c1",
    content: { metadata: { name: "c1", namespace: "default", resourceVersion: "5" } }, resourceVersion: "5",
  }));
  await waitUntil(() => cloud.hub.nodeStats("edge-1").acked === 1, 10_000, "ack");
  assert.equal(edge.store.get("SELECT key, resource_version FROM meta"), { key: "default/configmap/c1", resource_version: "5" });
  assert.ok(ec.messages.some((m) => m.route.group === "hub" && m.route.operation === "connected" && m.route.resource === "node/edge-1"));
  await edge.stop();
  await waitUntil(() => ec.messages.some((m) => m.route.operation === "disconnected" && m.route.resource === "node/edge-1"), 10_000, "disconnected");
  await cloud.stop();
});

test("a certificate for another node name is refused with 403 and logged", async () => {
  const lines: string[] = [];
  const cloud = await startCloud(pki, [], { log: capturingLogger(lines) });
  assert.is(await rawLink(cloud.port, certs2, "/p1/edge-1/events"), 403);
  assert.is(cloud.hub.stats().refused, 1);
  assert.ok(lines.some((l) => /link refused .*status=403 step=checkCertificate reason="certificate is for node \\"edge-2\\", not \\"edge-1\\""/.test(l)), lines.join("\n"));
  assert.is(cloud.hub.connectedNodes().length, 0);
  await cloud.stop();
});

test("a certificate from another CA, or none, is refused with 403", async () => {
  const other = await makePki(join(dir, "other"));
  const foreign = await nodeCerts(other, join(dir, "other"), "edge-1");
  const cloud = await startCloud(pki);
  assert.is(await rawLink(cloud.port, { ...foreign, ca: certs1.ca }, "/p1/edge-1/events"), 403);
  assert.is(await rawLink(cloud.port, { ca: certs1.ca }, "/p1/edge-1/events"), 403);
  await cloud.stop();
});

test("a new node over the node limit gets 429 while a connected node may reconnect", async () => {
  const cloud = await startCloud(pki, [], { nodeLimit: 1 });
  const first = (await rawLink(cloud.port, certs1, "/p1/edge-1/events")) as RawLink;
  assert.is(await rawLink(cloud.port, certs2, "/p1/edge-2/events"), 429);
  const again = (await rawLink(cloud.port, certs1, "/p1/edge-1/events")) as RawLink;
  assert.is(typeof again, "object");
  again.ws.close();
  first.ws.close();
  await cloud.stop();
});

test("a second link of the same node replaces the first without a disconnect event", async () => {
  const ec = new Recorder("edgecontroller");
  const cloud = await startCloud(pki, [ec]);
  const a = (await rawLink(cloud.port, certs1, "/p1/edge-1/events")) as RawLink;
  const b = (await rawLink(cloud.port, certs1, "/p1/edge-1/events")) as RawLink;
  assert.is((await a.closed).code, 4000);
  assert.equal(cloud.hub.connectedNodes(), ["edge-1"]);
  await waitUntil(() => ec.messages.filter((m) => m.route.operation === "connected").length === 2, 5000);
  assert.is(ec.messages.filter((m) => m.route.operation === "disconnected").length, 0);
  b.ws.close();
  await waitUntil(() => ec.messages.some((m) => m.route.operation === "disconnected"), 5000);
  await cloud.stop();
});

test("a link silent for keepaliveTimeout is closed, while keepalives keep a real edge linked", async () => {
  const ec = new Recorder("edgecontroller");
  const cloud = await startCloud(pki, [ec], { keepaliveTimeoutMs: 1000, sweepIntervalMs: 50 });
  const silent = (await rawLink(cloud.port, certs2, "/p1/edge-2/events")) as RawLink;
  const edge = await startEdge({ node: "edge-1", port: cloud.port, certs: certs1, dir: join(dir, "ka"), hub: { heartbeatMs: 100 } });
  await silent.closed;
  await waitUntil(() => ec.messages.some((m) => m.route.operation === "disconnected" && m.route.resource === "node/edge-2"), 5000);
  // Longer than the timeout again: the edge's keepalives (every 100 ms) keep its link.
  await new Promise((r) => setTimeout(r, 1200));
  assert.equal(cloud.hub.connectedNodes(), ["edge-1"]);
  assert.is(edge.hub.counters.connects, 1);
  await edge.stop();
  await cloud.stop();
});

test("at maxPendingHandshakes an idle stranger is shed for a node", async () => {
  const cloud = await startCloud(pki, [], { maxPendingHandshakes: 1 });
  // A client that opens TCP and never starts TLS holds the only slot: the node's connection takes it from it.
  const idle = connect(cloud.port, "127.0.0.1");
  idle.on("error", () => {});
  try {
    const idleClosed = new Promise((r) => idle.once("close", r));
    await new Promise((r) => idle.once("connect", r));
    await waitUntil(() => cloud.hub.stats().strangers === 1, 5000, "the idle stranger held");
    const first = (await rawLink(cloud.port, certs1, "/p1/edge-1/events")) as RawLink;
    assert.type(first, "object");
    await idleClosed;
    assert.ok(cloud.hub.stats().shed >= 1);
    first.ws.close();
  } finally {
    // Whether a newcomer is cut in a storm of busy handshakes depends on how fast its own handshake ends (a quick one
    // is admitted before the limit is enforced), so that case is not asserted here; test/security/preauth_flood_test.ts
    // shows nodes linking through a flood.
    idle.destroy();
    await cloud.stop();
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
