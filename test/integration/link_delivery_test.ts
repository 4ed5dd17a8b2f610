import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Message, newMessage, replyTo } from "../../lib/model/index.ts";
import { makePki, nodeCerts, type RawLink, rawLink, Recorder, startCloud, startEdge } from "../fixtures/link_env.ts";
import { waitUntil } from "../support/process.ts";

const dir = mkdtempSync(join(tmpdir(), "link-delivery-"));
const pki = await makePki(dir);
const certs = await nodeCerts(pki, dir, "edge-1");

const update = (name: string, rv: string) => newMessage({
  source: "edgecontroller", group: "resource", operation: "update", resource: `node/edge-1/default/configmap/${name}`,
  content: { metadata: { name, namespace: "default", resourceVersion: rv } }, resourceVersion: rv,
});
const ack = (link: RawLink, m: Message) => link.ws.send(JSON.stringify(replyTo(m, "OK", "metaManager")));
const link = async (port: number) => (await rawLink(port, certs, "/p1/edge-1/events")) as RawLink;

test("CloudHub resends an unACKed message after the ACK timeout and stops once it is ACKed", async () => {
  const cloud = await startCloud(pki, [], { ackTimeoutMs: 200, sweepIntervalMs: 50 });
  const edge = await link(cloud.port);
  const m = update("a", "1");
  await cloud.bus.send("cloudhub", m);
  await waitUntil(() => edge.frames.filter((f) => f.header.msg_id === m.header.msg_id).length >= 2, 5000, "a resend");
  assert.is(edge.frames[0].route.resource, "default/configmap/a", "node prefix stripped");
  ack(edge, edge.frames[0]);
  await waitUntil(() => cloud.hub.nodeStats("edge-1").pending === 0, 5000, "settled");
  const seen = edge.frames.length;
  await new Promise((r) => setTimeout(r, 600)); // a window: nothing may be resent after the ACK
  assert.is(edge.frames.length, seen, "no resend after the ACK");
  assert.ok(cloud.hub.nodeStats("edge-1").resent >= 1);
  edge.ws.close();
  await cloud.stop();
});

test("CloudHub queues messages for an offline node, newest version per object, and sends them on connect", async () => {
  const cloud = await startCloud(pki, [], { ackTimeoutMs: 60_000 });
  await cloud.bus.send("cloudhub", update("a", "1"));
  await cloud.bus.send("cloudhub", update("b", "2"));
  await cloud.bus.send("cloudhub", update("a", "3"));
  await cloud.bus.send("cloudhub", update("a", "2"));
  const edge = await link(cloud.port);
  await waitUntil(() => edge.frames.length === 2, 5000, "two pending messages");
  assert.equal(edge.frames.map((f) => [f.route.resource, f.header.resourceversion]), [["default/configmap/b", "2"], ["default/configmap/a", "3"]]);
  // Lost link before ACK: the next link gets them again.
  edge.ws.terminate();
  await waitUntil(() => cloud.hub.connectedNodes().length === 0, 5000);
  const again = await link(cloud.port);
  await waitUntil(() => again.frames.length === 2, 5000, "resent on reconnect");
  for (const f of again.frames) ack(again, f);
  await waitUntil(() => cloud.hub.stats().pending === 0, 5000);
  assert.ok(cloud.hub.nodeStats("edge-1").dropped >= 1, "the stale version was dropped");
  again.ws.close();
  await cloud.stop();
});

test("CloudHub closes a link when overflow drops a message the link never got, so the node reconnects and resyncs", async () => {
  // highWaterBytes 0: nothing is written, as if the link were congested.
  const cloud = await startCloud(pki, [], { maxPendingPerNode: 3, highWaterBytes: 0 });
  const edge = await link(cloud.port);
  for (const n of ["a", "b", "c", "d"]) await cloud.bus.send("cloudhub", update(n, "1"));
  assert.is((await edge.closed).code, 4002);
  assert.is(cloud.hub.nodeStats("edge-1").pending, 3);
  await cloud.stop();
});

test("CloudHub keeps a live link when more messages are in flight than maxPendingPerNode, and all arrive", async () => {
  const cloud = await startCloud(pki, [], { maxPendingPerNode: 20 });
  const edge = await startEdge({ node: "edge-1", port: cloud.port, certs, dir: join(dir, "burst") });
  await waitUntil(() => cloud.hub.connectedNodes().includes("edge-1"), 5000);
  for (let i = 0; i < 300; i++) await cloud.bus.send("cloudhub", update(`b${i}`, String(i + 1)));
  await waitUntil(() => edge.meta.counters.stored === 300, 10_000, "all 300 stored");
  assert.is(edge.hub.counters.connects, 1, "the link was never reset");
  assert.ok(cloud.hub.nodeStats("edge-1").dropped > 0, "the outbox did overflow");
  await edge.stop();
  await cloud.stop();
});

test("a cloud sync request to an offline node fails at once; to a linked edge it is answered from its store", async () => {
  const cloud = await startCloud(pki);
  const query = () => newMessage({ source: "edgecontroller", group: "resource", operation: "query", resource: "node/edge-1/default/configmap/a", content: null });
  const offline = await cloud.bus.sendSync("cloudhub", query(), { timeoutMs: 2000 });
  assert.equal([offline.route.operation, offline.content], ["error", 'Cannot reach node "edge-1": not connected']);
  const edge = await startEdge({ node: "edge-1", port: cloud.port, certs, dir: join(dir, "q") });
  await waitUntil(() => cloud.hub.connectedNodes().includes("edge-1"), 5000);
  await cloud.bus.send("cloudhub", update("a", "7"));
  await waitUntil(() => cloud.hub.nodeStats("edge-1").acked === 1, 5000);
  const reply = await cloud.bus.sendSync("cloudhub", query(), { timeoutMs: 5000 });
  assert.is(reply.route.operation, "response");
  assert.is(reply.route.resource, "node/edge-1/default/configmap/a");
  assert.is((reply.content as { metadata: { resourceVersion: string } }).metadata.resourceVersion, "7");
  await edge.stop();
  await cloud.stop();
});

test("edge reports reach edgecontroller with the node prefix; edge queries are answered by it; twin without devicecontroller is skipped", async () => {
  const ec = new Recorder("edgecontroller");
  ec.onMessage = async (m, ctx) => {
    if (m.route.operation === "query") await ctx.bus.send("cloudhub", replyTo(m, { metadata: { name: "remote", resourceVersion: "11" } }, "edgecontroller"));
  };
  const cloud = await startCloud(pki, [ec]);
  const hubEvents = new Recorder("probe");
  const edge = await startEdge({ node: "edge-1", port: cloud.port, certs, dir: join(dir, "r"), modules: [hubEvents] });
  await waitUntil(() => hubEvents.messages.some((m) => m.route.group === "hub" && m.route.operation === "connected"), 5000, "edge modules told");
  await edge.bus.send("metamanager", newMessage({ source: "edged", group: "meta", operation: "update", resource: "default/podstatus/p", content: { Name: "p" } }));
  await edge.bus.send("edgehub", newMessage({ source: "twin", group: "twin", operation: "update", resource: "device/d1/twin/edge_updated", content: {} }));
  await waitUntil(() => ec.messages.some((m) => m.route.resource === "node/edge-1/default/podstatus/p"), 5000, "report routed");
  const answer = await edge.bus.sendSync("metamanager", newMessage({ source: "edged", group: "meta", operation: "query", resource: "default/configmap/remote", content: null }), { timeoutMs: 5000 });
  assert.is((answer.content as { metadata: { name: string } }).metadata.name, "remote");
  await waitUntil(() => cloud.hub.nodeStats("edge-1").dropped === 1, 5000, "twin skipped");
  assert.not.ok(ec.messages.some((m) => m.route.group === "twin"));
  await cloud.stop();
  await waitUntil(() => hubEvents.messages.some((m) => m.route.operation === "disconnected"), 5000, "edge modules told of the loss");
  await edge.stop();
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
