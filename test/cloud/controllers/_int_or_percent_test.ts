import { test } from "uvu";
import * as assert from "uvu/assert";
import { rollingBounds, scaledValue } from "../../../lib/cloud/controllers/_int_or_percent.ts";

test("scaledValue() rounds percentages up or down and keeps integers", () => {
  assert.is(scaledValue("25%", 10, true), 3);
  assert.is(scaledValue("25%", 10, false), 2);
  assert.is(scaledValue(2, 10, true), 2);
  assert.is(scaledValue("3", 10, true), 3);
  assert.is(scaledValue(undefined, 4, true), 1);
  assert.throws(() => scaledValue("x%", 4, true), RangeError);
});

test("rollingBounds() defaults to 25% each and never lets both be zero", () => {
  assert.equal(rollingBounds(4, undefined, undefined), { surge: 1, unavailable: 1 });
  assert.equal(rollingBounds(3, undefined, undefined), { surge: 1, unavailable: 0 });
  assert.equal(rollingBounds(1, 0, 0), { surge: 0, unavailable: 1 });
  assert.equal(rollingBounds(2, 0, "100%"), { surge: 0, unavailable: 2 });
  assert.equal(rollingBounds(2, 0, 5), { surge: 0, unavailable: 2 });
});

test.run();
