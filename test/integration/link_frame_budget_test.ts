import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { encodeMessage, newMessage } from "../../lib/model/index.ts";
import { makePki, nodeCerts, type RawLink, rawLink, startCloud } from "../fixtures/link_env.ts";
import { waitUntil } from "../support/process.ts";

const KiB = 1024;
const dir = mkdtempSync(join(tmpdir(), "link-budget-"));
const pki = await makePki(dir);
const cloud = await startCloud(pki, [], { maxFrameBytes: 64 * KiB, maxInflightBytes: 100 * KiB, maxInflightBytesPerLink: 100 * KiB });
const NODES = ["b-0", "b-1", "b-2", "b-3"];
const links = new Map<string, RawLink>();
for (const n of NODES) {
  const link = (await rawLink(cloud.port, await nodeCerts(pki, dir, n), `/p1/${n}/events`)) as RawLink;
  links.set(n, link);
}
await waitUntil(() => cloud.hub.connectedNodes().length === NODES.length, 10_000, "all linked");

/** A message of about `bytes` (its content is one string). */
const message = (bytes: number) => encodeMessage(newMessage({ source: "edged", group: "resource", operation: "update", resource: "default/nodestatus/x", content: "a".repeat(bytes) }));

test("links wait for the frame budget, none is closed, and every message arrives", async () => {
  const before = NODES.map((n) => cloud.hub.nodeStats(n).in);
  const frame = message(60 * KiB);
  for (const l of links.values()) for (let i = 0; i < 5; i++) l.ws.send(frame);
  await waitUntil(() => NODES.every((n, i) => cloud.hub.nodeStats(n).in === before[i]! + 5), 20_000, "5 messages from each link");
  const b = cloud.hub.stats().frameBudget;
  assert.ok(b.waits > 0, `links waited (${b.waits} times)`);
  assert.ok(b.peakBytes <= 100 * KiB, `at most the budget in flight: ${b.peakBytes}`);
  await waitUntil(() => cloud.hub.stats().frameBudget.heldBytes === 0, 5000, "budget given back");
  assert.equal(cloud.hub.connectedNodes().sort(), NODES);
});

test("a message sent in fragments (as Go's gorilla/websocket sends big ones) arrives and its charge is given back", async () => {
  const link = links.get("b-0")!;
  const whole = Buffer.from(message(50 * KiB));
  const before = cloud.hub.nodeStats("b-0").in;
  const step = 4 * KiB;
  for (let off = 0; off < whole.length; off += step) {
    link.ws.send(whole.subarray(off, off + step), { fin: off + step >= whole.length, binary: false });
  }
  await waitUntil(() => cloud.hub.nodeStats("b-0").in === before + 1, 10_000, "fragmented message received");
  await waitUntil(() => cloud.hub.stats().frameBudget.heldBytes === 0, 5000, "budget given back");
  assert.ok(cloud.hub.connectedNodes().includes("b-0"));
});

test("a link closed in the middle of a frame gives its charge back", async () => {
  const link = links.get("b-1")!;
  // the header of a 60 KiB text frame (masked, as a client sends) and only the first bytes of its payload
  const head = Buffer.from([0x81, 0x80 | 126, 0, 0, 0, 0, 0, 0]);
  head.writeUInt16BE(60 * KiB, 2);
  const socket = (link.ws as unknown as { _socket: { write(b: Buffer): void } })._socket;
  socket.write(Buffer.concat([head, Buffer.alloc(100, 0x20)]));
  await waitUntil(() => cloud.hub.stats().frameBudget.heldBytes >= 60 * KiB, 5000, "charged at the header");
  link.ws.terminate();
  await waitUntil(() => !cloud.hub.connectedNodes().includes("b-1"), 10_000, "b-1 gone");
  await waitUntil(() => cloud.hub.stats().frameBudget.heldBytes === 0, 5000, "budget given back");
});

test.after(async () => {
  for (const l of links.values()) l.ws.terminate();
  await cloud.stop();
  rmSync(dir, { recursive: true, force: true });
});
test.run();
