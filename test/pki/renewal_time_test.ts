import { test } from "uvu";
import * as assert from "uvu/assert";
import { renewalTime } from "../../lib/pki/index.ts";

const YEAR = 365 * 86_400_000;
const start = Date.UTC(2026, 0, 1);

test("renewalTime() is two thirds into the lifetime with no jitter", () => {
  assert.is(renewalTime(start, start + 3000, () => 0), start + 2000);
  assert.is(renewalTime(start, start + YEAR, () => 0), start + Math.round((YEAR * 2) / 3));
});

test("renewalTime() adds at most 5% of the lifetime as jitter, well before expiry", () => {
  const latest = renewalTime(start, start + YEAR, () => 0.999999);
  assert.ok(latest <= start + YEAR * (2 / 3 + 0.05) + 1, `${latest}`);
  assert.ok(start + YEAR - latest > YEAR / 4, "more than a quarter of the lifetime left for retries");
  const spread = new Set(Array.from({ length: 50 }, () => renewalTime(start, start + YEAR)));
  assert.ok(spread.size > 40, "nodes issued together renew at different times");
});

test("renewalTime() refuses a certificate that ends before it starts", () => {
  assert.throws(() => renewalTime(start, start), RangeError);
  assert.throws(() => renewalTime(start, start - 1), /ends .* before it starts/);
});

test.run();
