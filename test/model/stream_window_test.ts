import { test } from "uvu";
import * as assert from "uvu/assert";
import { ReceiveWindow, SendWindow, sendWithCredit, StreamClosedError } from "../../lib/model/index.ts";

test("SendWindow.take() blocks at zero credit and resumes when credit is granted", async () => {
  const w = new SendWindow(0);
  let got: number | undefined;
  const taking = w.take(100).then((n) => (got = n));
  await new Promise((r) => setTimeout(r, 20));
  assert.is(got, undefined, "blocked without credit");
  assert.is(w.waiting, 1);
  w.grant(30);
  await taking;
  assert.is(got, 30, "takes at most what was granted");
  assert.is(w.credit, 0);
});

test("SendWindow.close() wakes a blocked sender with the reason", async () => {
  const w = new SendWindow(0);
  const taking = w.take(1);
  w.close(new StreamClosedError("gone"));
  try {
    await taking;
    assert.unreachable();
  } catch (e) {
    assert.instance(e, StreamClosedError);
    assert.is((e as Error).message, "gone");
  }
  await assert.not.throws(() => w.grant(5));
  try {
    await w.take(1);
    assert.unreachable();
  } catch (e) {
    assert.is((e as Error).message, "gone", "credit after close does not reopen it");
  }
});

test("ReceiveWindow.receive() refuses bytes past the granted window", () => {
  const r = new ReceiveWindow(100);
  assert.ok(r.receive(60));
  assert.ok(r.receive(40));
  assert.not.ok(r.receive(1));
  assert.is(r.buffered, 100);
});

test("ReceiveWindow.consume() grants back in quarters of the window", () => {
  const r = new ReceiveWindow(100);
  r.receive(100);
  assert.is(r.consume(10), 0);
  assert.is(r.consume(10), 0);
  assert.is(r.consume(10), 30, "a quarter consumed: grant it all");
  assert.is(r.buffered, 70);
  assert.ok(r.receive(30), "the granted bytes may be sent again");
  assert.not.ok(r.receive(1));
});

test("sendWithCredit() never has more than the window outstanding and splits by frame size", async () => {
  const w = new SendWindow(10);
  const frames: number[] = [];
  let outstanding = 0, most = 0;
  const sending = sendWithCredit(new Uint8Array(57), w, 4, async (piece) => {
    frames.push(piece.byteLength);
    outstanding += piece.byteLength;
    most = Math.max(most, outstanding);
  });
  // The receiver consumes everything in flight whenever the sender waits.
  for (let i = 0; i < 100 && frames.reduce((a, b) => a + b, 0) < 57; i++) {
    await new Promise((r) => setTimeout(r, 1));
    if (w.waiting) {
      w.grant(outstanding);
      outstanding = 0;
    }
  }
  await sending;
  assert.is(frames.reduce((a, b) => a + b, 0), 57);
  assert.ok(frames.every((n) => n >= 1 && n <= 4), JSON.stringify(frames));
  assert.ok(most <= 10, `outstanding peaked at ${most}`);
});

test.run();
