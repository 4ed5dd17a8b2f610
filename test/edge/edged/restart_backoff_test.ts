import { test } from "uvu";
import * as assert from "uvu/assert";
import { RestartBackoff } from "../../../lib/edge/edged/restart_backoff.ts";

test("RestartBackoff lets the first restart go at once, then waits base, doubling to max", () => {
  const b = new RestartBackoff({ baseMs: 10_000, maxMs: 40_000 });
  const t0 = 1_000_000;
  assert.is(b.readyAt("p/c", t0, t0), 0);
  b.next("p/c", t0);
  assert.is(b.readyAt("p/c", t0 + 100, t0 + 100), t0 + 100 + 10_000);
  const delays: number[] = [];
  for (let i = 0; i < 4; i++) {
    b.next("p/c", t0 + 1000 * i);
    delays.push(b.readyAt("p/c", 0, t0 + 1000 * i));
  }
  assert.equal(delays, [20_000, 40_000, 40_000, 40_000]);
});

test("RestartBackoff starts over after twice max of quiet, and resetPrefix forgets a pod", () => {
  const b = new RestartBackoff({ baseMs: 1000, maxMs: 5000 });
  b.next("u1/a", 0);
  b.next("u1/a", 0);
  assert.is(b.readyAt("u1/a", 100, 10_001), 0);
  b.next("u1/b", 0);
  b.next("u2/b", 0);
  b.resetPrefix("u1/");
  assert.is(b.readyAt("u1/b", 0, 1), 0);
  assert.is(b.readyAt("u2/b", 0, 1), 1000);
});

test.run();
