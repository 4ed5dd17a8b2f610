import { test } from "uvu";
import * as assert from "uvu/assert";
import { milliValue, parseQuantity } from "../../lib/kube/quantity.ts";

test("parseQuantity() reads decimal and binary suffixes", () => {
  assert.is(parseQuantity("1"), 1);
  assert.is(parseQuantity("100m"), 0.1);
  assert.is(parseQuantity("1.5"), 1.5);
  assert.is(parseQuantity("128Mi"), 128 * 2 ** 20);
  assert.is(parseQuantity("1Gi"), 2 ** 30);
  assert.is(parseQuantity("1G"), 1e9);
  assert.is(parseQuantity("2k"), 2000);
  assert.is(parseQuantity("2e3"), 2000);
  assert.is(parseQuantity(".5"), 0.5);
  assert.is(parseQuantity(3), 3);
});

test("parseQuantity() throws SyntaxError on text that is not a quantity", () => {
  assert.throws(() => parseQuantity("abc"), SyntaxError);
  assert.throws(() => parseQuantity("1Xi"), SyntaxError);
  assert.throws(() => parseQuantity(""), SyntaxError);
});

test("milliValue() gives millicores, rounding up", () => {
  assert.is(milliValue("100m"), 100);
  assert.is(milliValue("1"), 1000);
  assert.is(milliValue("0.1"), 100);
  assert.is(milliValue("1.5"), 1500);
  assert.is(milliValue("0.0001"), 1);
});

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
