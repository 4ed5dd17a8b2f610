import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseQuantity } from "../../../lib/edge/edged/quantity.ts";

test("parseQuantity() reads decimal and binary suffixes, millis and exponents", () => {
  assert.is(parseQuantity("500m"), 0.5);
  assert.is(parseQuantity("2"), 2);
  assert.is(parseQuantity(1.5), 1.5);
  assert.is(parseQuantity("128Mi"), 128 * 1024 * 1024);
  assert.is(parseQuantity("1G"), 1e9);
  assert.is(parseQuantity("1e3"), 1000);
  assert.is(parseQuantity("64Ki"), 65536);
});

test("parseQuantity() rejects text that is not a quantity", () => {
  assert.throws(() => parseQuantity("lots"), /"lots"/);
  assert.throws(() => parseQuantity("5 Mi"), SyntaxError);
});

test.run();
