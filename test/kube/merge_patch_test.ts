import { test } from "uvu";
import * as assert from "uvu/assert";
import { jsonMergePatch } from "../../lib/kube/merge_patch.ts";
import type { JsonValue } from "../../lib/kube/types.ts";

// RFC 7386 appendix A, then what kubectl label, annotate and patch --type=merge send.
const CASES: [string, JsonValue | undefined, JsonValue, JsonValue][] = [
  ["replaces a value", { a: "b" }, { a: "c" }, { a: "c" }],
  ["adds a member", { a: "b" }, { b: "c" }, { a: "b", b: "c" }],
  ["removes a member with null", { a: "b" }, { a: null }, {}],
  ["keeps other members when removing", { a: "b", b: "c" }, { a: null }, { b: "c" }],
  ["replaces an array with a string", { a: ["b"] }, { a: "c" }, { a: "c" }],
  ["replaces a string with an array", { a: "c" }, { a: ["b"] }, { a: ["b"] }],
  ["merges nested maps", { a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
  ["replaces arrays whole", { a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
  ["replaces a whole array document", ["a", "b"], ["c", "d"], ["c", "d"]],
  ["replaces a map with an array", { a: "b" }, ["c"], ["c"]],
  ["replaces a map with null", { a: "foo" }, null, null],
  ["replaces a map with a string", { a: "foo" }, "bar", "bar"],
  ["keeps nulls out of new maps", { e: null }, { a: 1 }, { e: null, a: 1 }],
  ["turns an array into a map", [1, 2], { a: "b", c: null }, { a: "b" }],
  ["creates nested maps and drops nulls in them", {}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ["patches an absent document", undefined, { a: 1 }, { a: 1 }],
  [
    "applies kubectl label and annotate",
    { metadata: { name: "p", labels: { a: "1", b: "2" }, annotations: { x: "y" } } },
    { metadata: { labels: { a: null, c: "3" }, annotations: { x: null } } },
    { metadata: { name: "p", labels: { b: "2", c: "3" }, annotations: {} } },
  ],
  ["applies kubectl scale", { spec: { replicas: 2, selector: {} } }, { spec: { replicas: 1 } }, { spec: { replicas: 1, selector: {} } }],
];

for (const [name, target, patch, expected] of CASES) {
  test(`jsonMergePatch() ${name}`, () => {
    const before = JSON.stringify([target, patch]);
    assert.equal(jsonMergePatch(target, patch), expected);
    assert.is(JSON.stringify([target, patch]), before, "inputs unchanged");
  });
}

test("jsonMergePatch() returns data that shares nothing with its inputs", () => {
  const target = { keep: { deep: [1] }, change: { x: 1 } };
  const patch = { change: { y: [2] } };
  const out = jsonMergePatch(target, patch) as { keep: { deep: number[] }; change: { y: number[] } };
  out.keep.deep.push(9);
  out.change.y.push(9);
  assert.equal(target, { keep: { deep: [1] }, change: { x: 1 } });
  assert.equal(patch, { change: { y: [2] } });
});

test.run();
