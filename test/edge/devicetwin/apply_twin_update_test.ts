import { test } from "uvu";
import * as assert from "uvu/assert";
import { applyCloudUpdate, applyEdgeUpdate, twinDelta } from "../../../lib/edge/devicetwin/apply_twin_update.ts";
import { TwinError } from "../../../lib/edge/devicetwin/twin_error.ts";
import type { Twin } from "../../../lib/edge/devicetwin/twin_model.ts";

const NOW = 1_700_000_000_000;

function twin(name: string, fields: Partial<Twin> = {}): Twin {
  return {
    name, description: "", expected: null, expectedTs: null, expectedVersion: null, actual: null, actualTs: null, actualVersion: null,
    optional: false, type: "string", metadata: "{}", ...fields,
  };
}

const twins = (...list: Twin[]) => new Map(list.map((t) => [t.name, t]));

test("applyEdgeUpdate() sets an actual value, bumps the edge version and answers without versions", () => {
  const before = twins(twin("humidity", { type: "int", expected: "50", expectedTs: 1, expectedVersion: { cloud: 7, edge: 0 } }));
  const c = applyEdgeUpdate(before, { humidity: { actual: { value: "42" }, metadata: { type: "Updated" } } }, NOW, "e1");
  assert.equal(c.result, { humidity: { actual: { value: "42", metadata: { timestamp: NOW } }, optional: false, metadata: { type: "int" } } });
  assert.equal(c.sync.humidity.actual_version, { cloud: 0, edge: 1 });
  assert.equal(Object.keys(c.sync.humidity), ["actual", "optional", "metadata", "actual_version"]);
  const after = c.writes.get("humidity")!;
  assert.equal([after.actual, after.actualTs, after.actualVersion, after.type], ["42", NOW, { cloud: 0, edge: 1 }, "int"]);
  assert.equal(c.document.humidity.last, { expected: { value: "50", metadata: { timestamp: 1 } }, optional: false, metadata: { type: "int" } });
  assert.equal(c.document.humidity.current!.actual, { value: "42", metadata: { timestamp: NOW } });
  assert.is(before.get("humidity")!.actual, null, "input untouched");
});

test("applyEdgeUpdate() adds a twin the device names for the first time, optional by default", () => {
  const c = applyEdgeUpdate(twins(), { temperature: { actual: { value: "21.5" }, metadata: { type: "float" } } }, NOW, "");
  assert.equal(c.result.temperature, { actual: { value: "21.5", metadata: { timestamp: NOW } }, optional: true, metadata: { type: "float" } });
  assert.equal(c.sync.temperature.actual_version, { cloud: 0, edge: 1 });
  assert.equal(c.document.temperature, { last: null, current: c.result.temperature });
});

test("applyEdgeUpdate() rejects a value that does not fit the twin's type", () => {
  const t = twin("count", { type: "int", actual: "1", actualTs: 1, actualVersion: { cloud: 0, edge: 1 } });
  try {
    applyEdgeUpdate(twins(t), { count: { actual: { value: "many" } } }, NOW, "ev");
    assert.unreachable();
  } catch (err) {
    assert.instance(err, TwinError);
    assert.equal([(err as TwinError).code, (err as TwinError).message, (err as TwinError).eventId], [400, "the value is not int or integer", "ev"]);
  }
  try {
    applyEdgeUpdate(twins(), { x: { actual: { value: "1" }, metadata: { type: "complex" } } }, NOW, "");
    assert.unreachable();
  } catch (err) {
    assert.is((err as TwinError).message, "the value type is not allowed");
  }
});

test("applyEdgeUpdate() refuses to grow a device past its twin limit", () => {
  try {
    applyEdgeUpdate(twins(twin("a")), { a: { actual: { value: "1" } }, b: { actual: { value: "1" } }, c: { actual: { value: "1" } } }, NOW, "", 2);
    assert.unreachable();
  } catch (err) {
    assert.is((err as TwinError).code, 400);
    assert.match((err as TwinError).message, /would exceed 2/);
  }
  assert.is(applyEdgeUpdate(twins(twin("a")), { a: { actual: { value: "1" } }, b: { actual: { value: "1" } } }, NOW, "", 2).writes.size, 2);
});

test("applyEdgeUpdate() deletes an optional twin set to null and keeps a mandatory one", () => {
  const opt = twin("a", { optional: true, actual: "1", actualTs: 1, actualVersion: { cloud: 0, edge: 2 } });
  const req = twin("b", { optional: false, actual: "1", actualTs: 1, actualVersion: { cloud: 0, edge: 2 } });
  const c = applyEdgeUpdate(twins(opt, req), { a: null, b: null }, NOW, "");
  assert.equal(c.result, { a: null });
  const a = c.writes.get("a")!;
  assert.equal([a.type, a.actual, a.actualVersion], ["deleted", null, { cloud: 0, edge: 3 }]);
  assert.is(c.document.a.current, null);
  assert.not.ok(c.writes.has("b"));
});

test("applyCloudUpdate() takes an expected value with a newer version and reports nothing back", () => {
  const before = twins(twin("status", { expected: "OFF", expectedTs: 1, expectedVersion: { cloud: 5, edge: 0 }, actual: "OFF", actualTs: 1, actualVersion: { cloud: 0, edge: 3 } }));
  const c = applyCloudUpdate(before, { status: { expected: { value: "ON" }, metadata: { type: "string" }, expected_version: { cloud: 6, edge: 0 } } }, NOW);
  assert.equal(c.sync, {});
  const t = c.writes.get("status")!;
  assert.equal([t.expected, t.expectedVersion, t.actual], ["ON", { cloud: 6, edge: 0 }, "OFF"]);
  assert.equal(twinDelta(c.writes.values())!.delta, { status: "ON" });
});

test("applyCloudUpdate() refuses an older cloud version or an older edge version and reports the edge's state", () => {
  const t = twin("status", { expected: "ON", expectedTs: 1, expectedVersion: { cloud: 6, edge: 2 } });
  for (const version of [{ cloud: 5, edge: 2 }, { cloud: 9, edge: 1 }, undefined]) {
    const c = applyCloudUpdate(twins(t), { status: { expected: { value: "OFF" }, expected_version: version } }, NOW);
    assert.is(c.writes.size, 0, JSON.stringify(version));
    assert.equal(c.sync.status, { expected: { value: "ON", metadata: { timestamp: 1 } }, optional: false, metadata: { type: "string" }, expected_version: { cloud: 6, edge: 2 } });
  }
});

test("applyCloudUpdate() adds versioned twins, skips unversioned ones and deletes by type", () => {
  const c = applyCloudUpdate(twins(twin("old", { expected: "1", expectedTs: 1, expectedVersion: { cloud: 1, edge: 0 } })), {
    fresh: { expected: { value: "5" }, metadata: { type: "int" }, expected_version: { cloud: 3, edge: 0 } },
    unversioned: { expected: { value: "5" } },
    old: { expected: { value: "1" }, metadata: { type: "deleted" }, expected_version: { cloud: 3, edge: 0 } },
  }, NOW);
  assert.equal([...c.writes.keys()].sort(), ["fresh", "old"]);
  assert.equal(c.writes.get("fresh")!.expectedVersion, { cloud: 3, edge: 0 });
  assert.equal(c.writes.get("old")!.type, "deleted");
  assert.equal(c.document.old.current, null);
});

test("twinDelta() lists twins whose expected value differs from the actual one", () => {
  const d = twinDelta([
    twin("a", { expected: "1", actual: "1" }),
    twin("b", { expected: "2", actual: "1" }),
    twin("c", { expected: "", actual: "1" }),
    twin("d", { expected: "x", type: "deleted" }),
  ])!;
  assert.equal(d.delta, { b: "2" });
  assert.equal(Object.keys(d.twin), ["a", "b"]);
  assert.is(twinDelta([twin("a", { expected: "1", actual: "1" })]), undefined);
});

test.run();
