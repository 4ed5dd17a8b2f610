import { test } from "uvu";
import * as assert from "uvu/assert";
import { backoffDelayMs } from "../../lib/core/index.ts";

test("backoffDelayMs() stays within [base/2, base] for base = min * 2^attempt", () => {
  for (let attempt = 0; attempt < 6; attempt++) {
    const base = 100 * 2 ** attempt;
    for (const r of [0, 0.25, 0.999999]) {
      const d = backoffDelayMs(attempt, { minMs: 100, maxMs: 1e9, random: () => r });
      assert.ok(d >= base / 2 && d <= base, `attempt ${attempt} random ${r}: ${d} not in [${base / 2}, ${base}]`);
    }
  }
});

test("backoffDelayMs() is capped at maxMs however many attempts failed", () => {
  for (const attempt of [10, 50, 1000]) {
    const hi = backoffDelayMs(attempt, { minMs: 1000, maxMs: 30_000, random: () => 0.999999 });
    const lo = backoffDelayMs(attempt, { minMs: 1000, maxMs: 30_000, random: () => 0 });
    assert.ok(hi <= 30_000 && lo >= 15_000, `${lo}..${hi}`);
  }
});

test("backoffDelayMs() spreads many nodes over the upper half of the window", () => {
  const delays = Array.from({ length: 10_000 }, () => backoffDelayMs(3, { minMs: 1000, maxMs: 30_000 }));
  const min = Math.min(...delays), max = Math.max(...delays);
  assert.ok(min >= 4000 && max <= 8000);
  // Roughly uniform: each quarter of [4000, 8000] gets a fair share.
  for (let q = 0; q < 4; q++) {
    const n = delays.filter((d) => d >= 4000 + q * 1000 && d < 5000 + q * 1000).length;
    assert.ok(n > 2000 && n < 3000, `quarter ${q}: ${n}`);
  }
});

test.run();
