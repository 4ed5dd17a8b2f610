import { test } from "uvu";
import * as assert from "uvu/assert";
import { LogThrottle } from "../../lib/core/index.ts";

test("LogThrottle.admit() lets one line per key and period through and counts the rest", () => {
  const t = new LogThrottle(10_000);
  assert.is(t.admit("k", 0), 0);
  assert.is(t.admit("k", 1), undefined);
  assert.is(t.admit("k", 2), undefined);
  assert.is(t.admit("other", 3), 0);
  assert.is(t.admit("k", 10_001), 2);
});

test.run();
