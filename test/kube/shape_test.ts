import { test } from "uvu";
import * as assert from "uvu/assert";
import { shape } from "../../lib/kube/index.ts";

test("shape.obj() names the first problem by path and refuses unknown fields unless open", () => {
  const s = shape.obj({ a: shape.str(3), b: shape.opt(shape.arr(shape.int(0, 9), 2)) }, { required: ["a"] });
  assert.is(s({ a: "abc", b: [1, 2] }, "x"), undefined);
  assert.is(s({ b: [] }, "x"), "x.a: required");
  assert.is(s({ a: "abcd" }, "x"), "x.a: expected at most 3 characters, got 4");
  assert.is(s({ a: "a", b: [1, "2"] }, "x"), 'x.b[1]: expected an integer in [0, 9], got "2"');
  assert.is(s({ a: "a", b: [1, 2, 3] }, "x"), "x.b: expected at most 2 items, got 3");
  assert.is(s({ a: "a", c: 1 }, "x"), 'x: unknown field "c"');
  assert.is(shape.obj({}, { open: true })({ c: 1 }, "x"), undefined);
  assert.is(s("x", "x"), 'x: expected an object, got "x"');
});

test("shape.time and shape.rec() check RFC 3339 times and bounded maps", () => {
  assert.is(shape.time("2024-01-02T03:04:05Z", "t"), undefined);
  assert.match(shape.time("2024-13-45T99:99:99Z", "t")!, /expected an RFC 3339 time/);
  const m = shape.rec(shape.str(10), shape.str(5), 2);
  assert.is(m({ a: "x" }, "m"), undefined);
  assert.match(m({ a: 1 }, "m")!, /m\.a: expected a string/);
  assert.match(m({ a: "", b: "", c: "" }, "m")!, /at most 2 keys/);
});

test.run();
