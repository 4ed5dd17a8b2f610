import { test } from "uvu";
import * as assert from "uvu/assert";
import { deepClone, deepEqual, getPath, isPlainObject, objectKey, setPath } from "../../lib/kube/objects.ts";
import type { JsonObject, JsonValue } from "../../lib/kube/types.ts";

test("objectKey() is namespace/name for namespaced objects and name for cluster-scoped ones", () => {
  assert.is(objectKey({ metadata: { namespace: "default", name: "web" } }), "default/web");
  assert.is(objectKey({ metadata: { name: "edge-node-1" } }), "edge-node-1");
  assert.is(objectKey({ metadata: { name: "n", namespace: "" } }), "n");
});

test("objectKey() throws TypeError when metadata.name is missing", () => {
  assert.throws(() => objectKey({}), (e: Error) => e instanceof TypeError && /metadata\.name is missing/.test(e.message));
  assert.throws(() => objectKey({ metadata: { name: "" } }), TypeError);
});

test("isPlainObject() accepts maps only", () => {
  assert.ok(isPlainObject({}));
  for (const v of [null, [], "x", 1, true, undefined]) assert.not.ok(isPlainObject(v));
});

test("deepClone() copies so that changing the copy leaves the original alone", () => {
  const original: JsonObject = { a: { b: [1, { c: "d" }] }, e: null, f: true };
  const copy = deepClone(original);
  assert.equal(copy, original);
  ((copy.a as JsonObject).b as JsonValue[]).push(2);
  (((copy.a as JsonObject).b as JsonValue[])[1] as JsonObject).c = "changed";
  assert.equal(original, { a: { b: [1, { c: "d" }] }, e: null, f: true });
  assert.is(deepClone(undefined), undefined);
  assert.is(deepClone("s"), "s");
});

const EQUAL: [JsonValue | undefined, JsonValue | undefined, boolean][] = [
  [1, 1, true],
  [1, "1", false],
  [null, null, true],
  [null, undefined, false],
  [{ a: 1, b: 2 }, { b: 2, a: 1 }, true],
  [{ a: 1 }, { a: 1, b: undefined as unknown as JsonValue }, false],
  [{ a: undefined as unknown as JsonValue }, { b: undefined as unknown as JsonValue }, false],
  [[1, 2], [2, 1], false],
  [[1, { x: [true] }], [1, { x: [true] }], true],
  [[], {}, false],
  [{}, [], false],
  [{ a: { b: null } }, { a: { b: null } }, true],
];

for (const [a, b, expected] of EQUAL) {
  test(`deepEqual() is ${expected} for ${JSON.stringify(a)} and ${JSON.stringify(b)}`, () => {
    assert.is(deepEqual(a, b), expected);
    assert.is(deepEqual(b, a), expected);
  });
}

test("getPath() reads dotted paths and key arrays, undefined where a step is missing", () => {
  const obj: JsonObject = { metadata: { labels: { "app.kubernetes.io/name": "web" } }, spec: { nodeName: "n1", list: [1] } };
  assert.is(getPath(obj, "spec.nodeName"), "n1");
  assert.is(getPath(obj, ["metadata", "labels", "app.kubernetes.io/name"]), "web");
  assert.is(getPath(obj, "spec.missing.deeper"), undefined);
  assert.is(getPath(obj, "spec.list.0"), undefined);
  assert.is(getPath(obj, "spec.nodeName.length"), undefined);
  assert.is(getPath(undefined, "a"), undefined);
  assert.is(getPath(obj, []), obj);
});

test("setPath() writes in place, creating maps on the way", () => {
  const obj: JsonObject = { metadata: { name: "a" } };
  setPath(obj, "metadata.labels.app", "web");
  setPath(obj, ["metadata", "annotations", "kubectl.kubernetes.io/restartedAt"], "now");
  setPath(obj, "spec", { replicas: 1 });
  assert.equal(obj, {
    metadata: { name: "a", labels: { app: "web" }, annotations: { "kubectl.kubernetes.io/restartedAt": "now" } },
    spec: { replicas: 1 },
  });
});

test("setPath() throws TypeError when a step is not an object or the path is empty", () => {
  assert.throws(() => setPath({ metadata: { name: "a" } }, "metadata.name.x", 1), (e: Error) => e instanceof TypeError && /"metadata.name" is not an object/.test(e.message));
  assert.throws(() => setPath({}, [], 1), TypeError);
});

test.run();
