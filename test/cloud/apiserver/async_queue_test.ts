import { test } from "uvu";
import * as assert from "uvu/assert";
import { AsyncQueue } from "../../../lib/cloud/apiserver/async_queue.ts";

test("AsyncQueue delivers pushed items in order and ends after end()", async () => {
  const q = new AsyncQueue<number>();
  q.push(1);
  setTimeout(() => {
    q.push(2);
    q.end();
  }, 5);
  const got: number[] = [];
  for await (const n of q) got.push(n);
  assert.equal(got, [1, 2]);
});

test("AsyncQueue calls onFull at the limit and onDrained when half is consumed", async () => {
  const calls: string[] = [];
  const q = new AsyncQueue<number>({ limit: 4, onFull: () => calls.push("full"), onDrained: () => calls.push("drained") });
  for (let i = 0; i < 4; i++) q.push(i);
  assert.equal(calls, ["full"]);
  const it = q[Symbol.asyncIterator]();
  await it.next();
  await it.next();
  await it.next();
  assert.equal(calls, ["full", "drained"]);
});

test.run();
