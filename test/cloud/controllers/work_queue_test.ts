import { test } from "uvu";
import * as assert from "uvu/assert";
import { WorkQueue } from "../../../lib/cloud/controllers/work_queue.ts";
import { silentLogger } from "../../../lib/log/index.ts";
import { waitUntil } from "../../support/process.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("WorkQueue works on a key queued many times once", async () => {
  const seen: string[] = [];
  let release!: () => void;
  const busy = new Promise<void>((r) => (release = r));
  const q = new WorkQueue(async (k) => {
    seen.push(k);
    if (k === "first") await busy;
  }, { log: silentLogger, concurrency: 1 });
  q.add("first");
  q.add("a");
  q.add("b");
  q.add("a");
  assert.is(q.size, 3);
  release();
  await q.idle();
  assert.equal(seen, ["first", "a", "b"]);
  q.stop();
});

test("WorkQueue runs a key again when it was queued while being worked on", async () => {
  let runs = 0;
  let release!: () => void;
  const q = new WorkQueue(async () => {
    runs++;
    if (runs === 1) await new Promise<void>((r) => (release = r));
  }, { log: silentLogger });
  q.add("a");
  await sleep(5);
  q.add("a");
  q.add("a");
  release();
  await sleep(5);
  await q.idle();
  assert.is(runs, 2);
  q.stop();
});

test("WorkQueue retries failures with backoff and expected errors quietly", async () => {
  const times: number[] = [];
  const q = new WorkQueue(async () => {
    times.push(Date.now());
    if (times.length < 3) throw new Error(times.length === 1 ? "expected" : "real");
  }, { log: silentLogger, retryMinMs: 40, expectedRetryMs: (e) => ((e as Error).message === "expected" ? 5 : undefined) });
  q.add("a");
  await waitUntil(() => times.length >= 3, 2000, "a third run", { intervalMs: 5 });
  assert.is(times.length, 3);
  assert.ok(times[1]! - times[0]! < 35, "expected error retried after ~5 ms");
  assert.ok(times[2]! - times[1]! >= 35, "real error retried after ~40 ms");
  q.stop();
});

test("WorkQueue.addAfter() keeps only the earliest delayed add of a key and stop() drops it", async () => {
  let runs = 0;
  const q = new WorkQueue(async () => void runs++, { log: silentLogger });
  q.addAfter("a", 20);
  q.addAfter("a", 200);
  await waitUntil(() => runs === 1, 2000, "the earliest add of a to run", { intervalMs: 5 });
  q.addAfter("b", 10);
  q.stop();
  await sleep(30); // a window: neither b nor the later add of a may run after stop()
  assert.is(runs, 1);
});

test.run();
