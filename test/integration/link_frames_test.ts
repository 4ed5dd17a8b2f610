import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { newMessage } from "../../lib/model/index.ts";
import { makePki, nodeCerts, type RawLink, rawLink, startCloud, startEdge } from "../fixtures/link_env.ts";
import { waitUntil } from "../support/process.ts";

const dir = mkdtempSync(join(tmpdir(), "link-frames-"));
const pki = await makePki(dir);
const good = await nodeCerts(pki, dir, "edge-good");
const bad = await nodeCerts(pki, dir, "edge-bad");
const cloud = await startCloud(pki, [], { maxFrameBytes: 64 * 1024 });
const edge = await startEdge({ node: "edge-good", port: cloud.port, certs: good, dir });
await waitUntil(() => cloud.hub.connectedNodes().includes("edge-good"), 10_000, "good edge linked");
let version = 0;

/** The good node still gets (and ACKs) a new message. */
async function goodNodeStillServed(): Promise<void> {
  const rv = String(++version);
  const acked = cloud.hub.nodeStats("edge-good").acked;
  await cloud.bus.send("cloudhub", newMessage({
    source: "edgecontroller", group: "resource", operation: "update", resource: "node/edge-good/default/configmap/c",
    content: { metadata: { name: "c", namespace: "default", resourceVersion: rv } }, resourceVersion: rv,
  }));
  await waitUntil(() => cloud.hub.nodeStats("edge-good").acked === acked + 1, 10_000, "good node ACK");
  assert.equal(cloud.hub.connectedNodes(), ["edge-good"]);
}

async function sendBad(frame: string | Buffer, binary = false): Promise<number> {
  const link = (await rawLink(cloud.port, bad, "/p1/edge-bad/events", { maxPayload: 1 << 20 })) as RawLink;
  await waitUntil(() => cloud.hub.connectedNodes().includes("edge-bad"), 5000);
  link.ws.send(frame, { binary });
  return (await link.closed).code;
}

test("a frame that is JSON but not a message closes only that link", async () => {
  assert.is(await sendBad(JSON.stringify({ header: {}, route: { operation: "update" } })), 1007);
  await goodNodeStillServed();
});

test("a frame that is not JSON closes only that link", async () => {
  assert.is(await sendBad("this is not json {"), 1007);
  assert.is(await sendBad(Buffer.from([0xff, 0xfe, 0x00]), true), 1007);
  await goodNodeStillServed();
});

test("a frame over maxFrameBytes closes only that link", async () => {
  assert.is(await sendBad("x".repeat(100 * 1024)), 1009);
  await goodNodeStillServed();
});

test("the node whose frames were refused may link again and counts its bad frames", async () => {
  const s = cloud.hub.nodeStats("edge-bad");
  assert.is(s.badFrames, 4);
  const link = (await rawLink(cloud.port, bad, "/p1/edge-bad/events")) as RawLink;
  link.ws.send(JSON.stringify(newMessage({ source: "edgehub", group: "resource", operation: "keepalive", resource: "node", content: "ping" })));
  await waitUntil(() => cloud.hub.nodeStats("edge-bad").in === s.in + 1, 5000, "keepalive counted");
  assert.ok(cloud.hub.connectedNodes().includes("edge-bad"));
  link.ws.close();
});

test.after(async () => {
  await edge.stop();
  await cloud.stop();
  rmSync(dir, { recursive: true, force: true });
});
test.run();
