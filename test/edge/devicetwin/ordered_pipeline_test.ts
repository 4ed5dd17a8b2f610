import { test } from "uvu";
import * as assert from "uvu/assert";
import { OrderedPipeline } from "../../../lib/edge/devicetwin/ordered_pipeline.ts";

const later = <T>(v: T, ms: number) => new Promise<T>((r) => setTimeout(() => r(v), ms));

test("OrderedPipeline consumes results in push order even when they finish out of order", async () => {
  const seen: number[] = [];
  const p = new OrderedPipeline<number>(10, async (v) => void seen.push(v), () => {});
  await p.push(later(1, 30));
  await p.push(later(2, 1));
  await p.push(Promise.resolve(3));
  await p.idle();
  assert.equal(seen, [1, 2, 3]);
});

test("OrderedPipeline.push() waits while the limit is reached", async () => {
  let release!: () => void;
  const gate = new Promise<number>((r) => (release = () => r(0)));
  const p = new OrderedPipeline<number>(2, async () => {}, () => {});
  await p.push(gate);
  let second = false;
  const pushed = p.push(Promise.resolve(1)).then(() => (second = true));
  await later(null, 10);
  assert.not.ok(second);
  assert.is(p.size, 2);
  release();
  await pushed;
  await p.idle();
  assert.is(p.size, 0);
});

test("OrderedPipeline reports a failing consumer and goes on", async () => {
  const errors: unknown[] = [];
  const seen: number[] = [];
  const p = new OrderedPipeline<number>(4, async (v) => {
    if (v === 1) throw new Error("boom");
    seen.push(v);
  }, (e) => errors.push(e));
  await p.push(Promise.resolve(1));
  await p.push(Promise.resolve(2));
  await p.idle();
  assert.equal(seen, [2]);
  assert.is(errors.length, 1);
});

test("OrderedPipeline reports a result that fails while queued behind a slower one", async () => {
  const errors: unknown[] = [];
  let unhandled = 0;
  const onUnhandled = () => unhandled++;
  process.on("unhandledRejection", onUnhandled);
  try {
    const p = new OrderedPipeline<number>(4, async () => {}, (e) => errors.push(e));
    await p.push(later(1, 30));
    await p.push(Promise.reject(new Error("store failed")));
    await later(null, 10);
    await p.idle();
    assert.is(errors.length, 1);
    assert.is(unhandled, 0);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
});

test.run();
