import { test } from "uvu";
import * as assert from "uvu/assert";
import { compareResourceVersions } from "../../lib/model/index.ts";

test("compareResourceVersions() compares decimal versions numerically", () => {
  assert.ok(compareResourceVersions("9", "10")! < 0);
  assert.ok(compareResourceVersions("100", "99")! > 0);
  assert.is(compareResourceVersions("42", "042"), 0);
  assert.ok(compareResourceVersions("123456789012345678901234567890", "123456789012345678901234567891")! < 0);
});

test("compareResourceVersions() cannot tell when a version is empty or not a number", () => {
  assert.is(compareResourceVersions("", "1"), undefined);
  assert.is(compareResourceVersions("abc", "1"), undefined);
});

test.run();
