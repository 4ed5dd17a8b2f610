import { test } from "uvu";
import * as assert from "uvu/assert";
import { BoundedQueue, BusError } from "../../lib/core/index.ts";

test("BoundedQueue keeps FIFO order across many pushes and shifts", async () => {
  const q = new BoundedQueue<number>(3);
  const got: number[] = [];
  const consumer = (async () => {
    for await (const n of q) got.push(n);
  })();
  for (let i = 0; i < 5000; i++) await q.push(i);
  q.close();
  await consumer;
  assert.equal(got, Array.from({ length: 5000 }, (_, i) => i));
});

test("BoundedQueue.close() rejects blocked producers with BUS_CLOSED", async () => {
  const q = new BoundedQueue<number>(1);
  await q.push(1);
  const blocked = q.push(2);
  assert.is(q.blocked, 1);
  q.close();
  await blocked.then(() => assert.unreachable(), (e) => assert.is((e as BusError).code, "BUS_CLOSED"));
  assert.is(await q.shift(), 1, "items queued before close can still be read");
  assert.is(await q.shift(), undefined);
});

test("BoundedQueue.push() honours an abort signal while waiting", async () => {
  const q = new BoundedQueue<number>(1);
  await q.push(1);
  const ac = new AbortController();
  const p = q.push(2, ac.signal);
  ac.abort(new Error("gave up"));
  await p.then(() => assert.unreachable(), (e) => assert.match((e as Error).message, /gave up/));
  assert.is(q.blocked, 0);
});

test("BoundedQueue rejects a limit below 1", () => {
  assert.throws(() => new BoundedQueue(0), RangeError);
});

test.run();
