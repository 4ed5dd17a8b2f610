import { test } from "uvu";
import * as assert from "uvu/assert";
import { Limiter } from "../../../lib/edge/edged/limiter.ts";

test("Limiter.run() never runs more than its limit at once and runs everything", async () => {
  const l = new Limiter(3);
  let active = 0, peak = 0, done = 0;
  await Promise.all(Array.from({ length: 20 }, async (_, i) => l.run(async () => {
    active++;
    peak = Math.max(peak, active);
    await new Promise((r) => setTimeout(r, 1 + (i % 3)));
    active--;
    done++;
  })));
  assert.is(peak, 3);
  assert.is(done, 20);
  assert.is(l.queued, 0);
});

test("Limiter.run() frees the slot when the task throws", async () => {
  const l = new Limiter(1);
  await l.run(async () => { throw new Error("x"); }).catch(() => {});
  assert.is(await l.run(async () => 5), 5);
  assert.throws(() => new Limiter(0), RangeError);
});

test.run();
