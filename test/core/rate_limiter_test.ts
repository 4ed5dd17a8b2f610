import { test } from "uvu";
import * as assert from "uvu/assert";
import { RateLimiter } from "../../lib/core/index.ts";

test("RateLimiter.take() allows the burst, then the sustained rate, per key", () => {
  let now = 0;
  const r = new RateLimiter({ perMinute: 60, burst: 3, now: () => now });
  assert.equal([r.take("n1"), r.take("n1"), r.take("n1"), r.take("n1")], [true, true, true, false]);
  assert.ok(r.take("n2"), "another node has its own bucket");
  now += 1000;
  assert.ok(r.take("n1"), "one token a second");
  assert.not.ok(r.take("n1"));
});

test.run();
