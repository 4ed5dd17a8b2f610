import { test } from "uvu";
import * as assert from "uvu/assert";
import { applyJsonPatch, parseJsonPointer } from "../../lib/kube/json_patch.ts";
import { KubeError } from "../../lib/kube/kube_error.ts";
import type { JsonValue } from "../../lib/kube/types.ts";

test("parseJsonPointer() splits and unescapes ~1 then ~0", () => {
  assert.equal(parseJsonPointer(""), []);
  assert.equal(parseJsonPointer("/"), [""]);
  assert.equal(parseJsonPointer("/a/b"), ["a", "b"]);
  assert.equal(parseJsonPointer("/metadata/annotations/kubectl.kubernetes.io~1restartedAt"), ["metadata", "annotations", "kubectl.kubernetes.io/restartedAt"]);
  assert.equal(parseJsonPointer("/m~0n/~01"), ["m~n", "~1"]);
});

test("parseJsonPointer() throws SyntaxError for a missing slash or a bad escape", () => {
  assert.throws(() => parseJsonPointer("a/b"), SyntaxError);
  assert.throws(() => parseJsonPointer("/a~2"), SyntaxError);
  assert.throws(() => parseJsonPointer("/a~"), SyntaxError);
});

const DOC = { metadata: { name: "p", labels: { a: "1" } }, spec: { containers: [{ name: "c0" }, { name: "c1" }] } };

const CASES: [string, JsonValue, JsonValue, JsonValue][] = [
  ["add sets a member", DOC, [{ op: "add", path: "/metadata/labels/b", value: "2" }], { ...DOC, metadata: { name: "p", labels: { a: "1", b: "2" } } }],
  ["add replaces an existing member", { a: 1 }, [{ op: "add", path: "/a", value: 2 }], { a: 2 }],
  ["add inserts into an array at an index", { l: [1, 3] }, [{ op: "add", path: "/l/1", value: 2 }], { l: [1, 2, 3] }],
  ["add appends with -", { l: [1] }, [{ op: "add", path: "/l/-", value: 2 }], { l: [1, 2] }],
  ["add appends at index length", { l: [1] }, [{ op: "add", path: "/l/1", value: 2 }], { l: [1, 2] }],
  ["add stores null", { a: 1 }, [{ op: "add", path: "/b", value: null }], { a: 1, b: null }],
  ["add at the root replaces the document", { a: 1 }, [{ op: "add", path: "", value: [1] }], [1]],
  ["add with an escaped key", {}, [{ op: "add", path: "/a~1b~0c", value: 1 }], { "a/b~c": 1 }],
  ["add with an empty key", {}, [{ op: "add", path: "/", value: 1 }], { "": 1 }],
  ["remove drops a member", { a: 1, b: 2 }, [{ op: "remove", path: "/a" }], { b: 2 }],
  ["remove drops an array item", { l: [1, 2, 3] }, [{ op: "remove", path: "/l/1" }], { l: [1, 3] }],
  ["replace changes a value", DOC, [{ op: "replace", path: "/spec/containers/1/name", value: "x" }], { ...DOC, spec: { containers: [{ name: "c0" }, { name: "x" }] } }],
  ["replace the root", { a: 1 }, [{ op: "replace", path: "", value: { b: 2 } }], { b: 2 }],
  ["move renames a member", { a: 1 }, [{ op: "move", from: "/a", path: "/b" }], { b: 1 }],
  ["move reorders an array", { l: [1, 2, 3] }, [{ op: "move", from: "/l/0", path: "/l/-" }], { l: [2, 3, 1] }],
  ["move to itself is a no-op", { a: { b: 1 } }, [{ op: "move", from: "/a", path: "/a" }], { a: { b: 1 } }],
  ["copy duplicates a value", { a: { x: 1 } }, [{ op: "copy", from: "/a", path: "/b" }], { a: { x: 1 }, b: { x: 1 } }],
  ["test passes on equal values", { a: { x: [1] } }, [{ op: "test", path: "/a", value: { x: [1] } }], { a: { x: [1] } }],
  ["test passes on null", { a: null }, [{ op: "test", path: "/a", value: null }], { a: null }],
  [
    "runs operations in order",
    { l: [] },
    [
      { op: "add", path: "/l/-", value: "a" },
      { op: "add", path: "/l/0", value: "b" },
      { op: "test", path: "/l", value: ["b", "a"] },
      { op: "remove", path: "/l/1" },
    ],
    { l: ["b"] },
  ],
];

for (const [name, doc, ops, expected] of CASES) {
  test(`applyJsonPatch(): ${name}`, () => {
    const before = JSON.stringify([doc, ops]);
    assert.equal(applyJsonPatch(doc, ops), expected);
    assert.is(JSON.stringify([doc, ops]), before, "inputs unchanged");
  });
}

test("applyJsonPatch(): copy leaves the copies independent", () => {
  const out = applyJsonPatch({ a: { x: 1 } }, [
    { op: "copy", from: "/a", path: "/b" },
    { op: "replace", path: "/b/x", value: 2 },
  ]);
  assert.equal(out, { a: { x: 1 }, b: { x: 2 } });
});

const FAILS: [string, JsonValue, JsonValue, RegExp][] = [
  ["remove of a missing member", { a: 1 }, [{ op: "remove", path: "/b" }], /operation 0 \(remove "\/b"\): member "b" does not exist/],
  ["replace of a missing member", { a: 1 }, [{ op: "add", path: "/x", value: 1 }, { op: "replace", path: "/b", value: 1 }], /operation 1 \(replace "\/b"\)/],
  ["add under a missing parent", { a: 1 }, [{ op: "add", path: "/b/c", value: 1 }], /operation 0 \(add "\/b\/c"\): "\/b" does not exist/],
  ["add past the end", { l: [1] }, [{ op: "add", path: "/l/3", value: 1 }], /index 3 is out of range for an array of 1/],
  ["remove at index length", { l: [1] }, [{ op: "remove", path: "/l/1" }], /index 1 is out of range/],
  ["a leading-zero index", { l: [1, 2] }, [{ op: "remove", path: "/l/01" }], /"01" is not an array index/],
  ["- outside add", { l: [1] }, [{ op: "replace", path: "/l/-", value: 1 }], /"-" is not an array index/],
  ["a failed test", { a: 1 }, [{ op: "test", path: "/a", value: 2 }], /operation 0 \(test "\/a"\): the value differs/],
  ["a test of a missing path", { a: 1 }, [{ op: "test", path: "/b", value: 1 }], /member "b" does not exist/],
  ["move into its own child", { a: { b: 1 } }, [{ op: "move", from: "/a", path: "/a/b/c" }], /cannot move "\/a" into its own child/],
  ["move from a missing path", { a: 1 }, [{ op: "move", from: "/x", path: "/y" }], /operation 0 \(move "\/x"\): member "x" does not exist/],
  ["a step through a primitive", { a: 1 }, [{ op: "add", path: "/a/b", value: 1 }], /neither an object nor an array/],
];

for (const [name, doc, ops, message] of FAILS) {
  test(`applyJsonPatch() fails with PatchFailed (422) on ${name}, leaving the input alone`, () => {
    const before = JSON.stringify(doc);
    try {
      applyJsonPatch(doc, ops);
      assert.unreachable("should throw");
    } catch (err) {
      assert.instance(err, KubeError);
      assert.is((err as KubeError).code, "PatchFailed");
      assert.is((err as KubeError).status, 422);
      assert.match((err as Error).message, /^Cannot apply JSON patch operation \d+ /);
      assert.match((err as Error).message, message);
    }
    assert.is(JSON.stringify(doc), before);
  });
}

const INVALID: [string, JsonValue, RegExp][] = [
  ["a body that is not an array", { op: "add" }, /must be a JSON array/],
  ["an operation that is not an object", [1], /operation 0 is not an object/],
  ["an unknown op", [{ op: "merge", path: "/a" }], /operation 0 has unknown op "merge"/],
  ["a missing path", [{ op: "remove" }], /operation 0 \(remove\) has no string "path"/],
  ["add without value", [{ op: "add", path: "/a" }], /operation 0 \(add "\/a"\) has no "value"/],
  ["copy without from", [{ op: "test", path: "/a", value: 1 }, { op: "copy", path: "/a" }], /operation 1 \(copy "\/a"\) has no string "from"/],
  ["a pointer without a slash", [{ op: "remove", path: "a" }], /operation 0 \(remove "a"\): Cannot parse JSON pointer/],
];

for (const [name, ops, message] of INVALID) {
  test(`applyJsonPatch() fails with InvalidPatch (400) on ${name}`, () => {
    assert.throws(
      () => applyJsonPatch({ a: 1 }, ops),
      (err: Error) => err instanceof KubeError && err.code === "InvalidPatch" && err.status === 400 && message.test(err.message),
    );
  });
}

test.run();
