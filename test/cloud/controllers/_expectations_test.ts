import { test } from "uvu";
import * as assert from "uvu/assert";
import { Expectations } from "../../../lib/cloud/controllers/_expectations.ts";

test("Expectations are met once every creation and deletion was observed", () => {
  const e = new Expectations(60_000);
  assert.ok(e.satisfied("rs"));
  e.expectCreations("rs", 2);
  e.expectDeletions("rs", ["p1"]);
  assert.not.ok(e.satisfied("rs"));
  e.creationObserved("rs");
  e.creationObserved("rs");
  assert.not.ok(e.satisfied("rs"));
  e.deletionObserved("rs", "p1");
  e.deletionObserved("rs", "p1");
  assert.ok(e.satisfied("rs"));
});

test("Expectations count a deletion seen twice once", () => {
  const e = new Expectations(60_000);
  e.expectDeletions("rs", ["p1", "p2"]);
  e.deletionObserved("rs", "p1");
  e.deletionObserved("rs", "p1");
  assert.not.ok(e.satisfied("rs"));
});

test("Expectations expire after the timeout and can be forgotten", () => {
  const e = new Expectations(1000);
  e.expectCreations("rs", 1);
  assert.not.ok(e.satisfied("rs", Date.now() + 500));
  assert.ok(e.satisfied("rs", Date.now() + 1500));
  e.expectCreations("x", 1);
  e.forget("x");
  assert.ok(e.satisfied("x"));
});

test.run();
