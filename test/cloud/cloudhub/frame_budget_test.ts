import { test } from "uvu";
import * as assert from "uvu/assert";
import { FrameBudget } from "../../../lib/cloud/cloudhub/frame_budget.ts";
import { type FrameHeader, FrameHeaderReader } from "../../../lib/cloud/cloudhub/frame_headers.ts";
import { FRAME_OVERHEAD, fragmentedCost, LinkMeter } from "../../../lib/cloud/cloudhub/link_meter.ts";

/** A masked client frame, laid out as a websocket client sends it. */
function frame(payloadBytes: number, opts: { fin?: boolean; opcode?: number } = {}): Buffer {
  const ext = payloadBytes > 65535 ? 8 : payloadBytes > 125 ? 2 : 0;
  const head = Buffer.alloc(2 + ext + 4);
  head[0] = (opts.fin === false ? 0 : 0x80) | (opts.opcode ?? 1);
  head[1] = 0x80 | (ext === 8 ? 127 : ext === 2 ? 126 : payloadBytes);
  if (ext === 2) head.writeUInt16BE(payloadBytes, 2);
  if (ext === 8) head.writeBigUInt64BE(BigInt(payloadBytes), 2);
  head.writeUInt32BE(0x01020304, 2 + ext);
  return Buffer.concat([head, Buffer.alloc(payloadBytes, 0x61)]);
}

function headers(bytes: Buffer, chunk: number): FrameHeader[] {
  const r = new FrameHeaderReader();
  const out: FrameHeader[] = [];
  for (let i = 0; i < bytes.length; i += chunk) r.feed(bytes.subarray(i, i + chunk), (h) => out.push(h));
  return out;
}

test("FrameBudget grants within both caps and makes the next ask wait, in order, until bytes are given back", () => {
  const b = new FrameBudget({ totalBytes: 100, linkBytes: 60 });
  const l1 = {}, l2 = {}, l3 = {};
  const granted: string[] = [];
  assert.ok(b.take(l1, 50, () => granted.push("l1")));
  assert.not.ok(b.take(l1, 20, () => granted.push("l1")), "l1 over its own cap");
  assert.not.ok(b.take(l2, 10, () => granted.push("l2")), "no overtaking a waiter, though 10 would fit");
  assert.equal(b.stats(), { heldBytes: 50, peakBytes: 50, waiting: 2, waits: 2 });
  assert.ok(b.isWaiting(l1));
  b.give(l1, 50);
  assert.equal(granted, ["l1", "l2"]);
  assert.is(b.heldBy(l1), 20);
  assert.is(b.heldBy(l2), 10);
  assert.not.ok(b.take(l3, 80, () => granted.push("l3")), "total cap");
  assert.is(b.heldBy(l3), 0);
  b.give(l1, 20);
  assert.equal(granted, ["l1", "l2", "l3"], "10 + 80 fits once l1's 20 went back");
  assert.is(b.heldBy(l3), 80);
  assert.is(b.stats().peakBytes, 90);
});

test("FrameBudget lets an ask larger than a cap through alone, and cancel() drops a waiter", () => {
  const b = new FrameBudget({ totalBytes: 100, linkBytes: 100 });
  const big = {}, other = {};
  assert.ok(b.take(big, 500, () => {}), "nothing held: an over-size message still goes, alone");
  let otherGranted = false;
  assert.not.ok(b.take(other, 1, () => (otherGranted = true)));
  assert.is(b.cancel(other), 1);
  b.give(big, 500);
  assert.not.ok(otherGranted, "a cancelled waiter is never granted");
  assert.is(b.stats().heldBytes, 0);
  assert.is(b.stats().peakBytes, 500);
  b.give(big, 10);
  assert.is(b.stats().heldBytes, 0, "giving back more than held is ignored");
});

test("FrameBudget lets a waiting link read again when what it waited for arrived whole and was given back first", () => {
  const b = new FrameBudget({ totalBytes: 100, linkBytes: 100 });
  const big = {}, small = {};
  assert.ok(b.take(big, 90, () => {}));
  let resumed = 0;
  assert.not.ok(b.take(small, 20, () => resumed++), "does not fit: waits");
  b.give(small, 20); // the small message was in the same chunk as its header, and was handed on
  assert.is(resumed, 1, "told to read again");
  assert.not.ok(b.isWaiting(small));
  assert.is(b.stats().waiting, 0);
  b.give(big, 90);
  assert.is(resumed, 1, "told once");
  assert.is(b.stats().heldBytes, 0);
});

test("FrameBudget refuses caps that are not positive or a link cap above the total", () => {
  assert.throws(() => new FrameBudget({ totalBytes: 0, linkBytes: 0 }), /totalBytes must be a positive integer/);
  assert.throws(() => new FrameBudget({ totalBytes: 10, linkBytes: 11 }), /linkBytes \(11\) is larger than totalBytes/);
});

test("FrameHeaderReader reports every header, whatever the chunking, with 7, 16 and 64 bit lengths", () => {
  const sizes = [0, 125, 126, 65535, 65536, 70_000];
  const bytes = Buffer.concat([...sizes.map((n) => frame(n)), frame(3, { fin: false }), frame(4, { opcode: 0 }), frame(2, { opcode: 9 })]);
  const want = [...sizes.map((n) => ({ fin: true, opcode: 1, payloadBytes: n })), { fin: false, opcode: 1, payloadBytes: 3 }, { fin: true, opcode: 0, payloadBytes: 4 }, { fin: true, opcode: 9, payloadBytes: 2 }];
  for (const chunk of [1, 7, 1000, bytes.length]) assert.equal(headers(bytes, chunk), want, `chunks of ${chunk} bytes`);
});

test("LinkMeter charges a message at its header, stops the link while it does not fit, and gives it back", () => {
  const b = new FrameBudget({ totalBytes: 1000, linkBytes: 1000 });
  const holds: boolean[] = [];
  const m = new LinkMeter(b, 10_000, (w) => holds.push(w));
  const big = frame(900);
  m.feed(big.subarray(0, 20)); // header and a little payload
  assert.is(b.stats().heldBytes, 900 + FRAME_OVERHEAD, "charged before the payload is read");
  m.feed(big.subarray(20));
  m.feed(frame(500).subarray(0, 10));
  assert.equal(holds, [true], "the next message does not fit: stop reading");
  const first = m.nextMessage();
  assert.is(first, 900 + FRAME_OVERHEAD);
  m.release(first);
  assert.equal(holds, [true, false], "read again once the first is handed on");
  assert.is(b.stats().heldBytes, 500 + FRAME_OVERHEAD);
  m.close();
  assert.is(b.stats().heldBytes, 0, "a message cut by the close is given back");
});

test("LinkMeter charges a fragmented message the largest size at its first frame, and nothing for control frames", () => {
  const b = new FrameBudget({ totalBytes: 1 << 30, linkBytes: 1 << 30 });
  const m = new LinkMeter(b, 4096, () => {});
  m.feed(Buffer.concat([frame(10, { opcode: 9 }), frame(100, { fin: false }), frame(100, { fin: false, opcode: 0 })]));
  assert.is(b.stats().heldBytes, fragmentedCost(4096));
  m.feed(frame(100, { opcode: 0 }));
  const cost = m.nextMessage();
  assert.is(cost, fragmentedCost(4096));
  m.release(cost);
  m.feed(frame(5000).subarray(0, 14));
  assert.is(b.stats().heldBytes, 0, "a frame over the cap is ws's to refuse, not charged");
  m.close();
});

test.run();
