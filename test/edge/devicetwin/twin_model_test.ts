import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkValueType, toMsgTwin, twinColumns, twinFromRow, type TwinRow } from "../../../lib/edge/devicetwin/twin_model.ts";

const ROW: TwinRow = {
  name: "t", description: null, expected: "5", actual: "", expected_meta: '{"timestamp":9}', actual_meta: null,
  expected_version: '{"cloud":3,"edge":0}', actual_version: null, optional: 0, attr_type: "int", metadata: "{}",
};

test("twinFromRow() and twinColumns() round-trip a device_twin row", () => {
  const t = twinFromRow(ROW);
  assert.equal([t.expected, t.expectedTs, t.expectedVersion, t.optional, t.type], ["5", 9, { cloud: 3, edge: 0 }, false, "int"]);
  assert.equal(twinColumns(t), ["", "5", "", '{"timestamp":9}', null, '{"cloud":3,"edge":0}', null, 0, "int", "{}"]);
});

test("toMsgTwin() leaves out empty values and versions unless asked", () => {
  const t = twinFromRow(ROW);
  assert.equal(JSON.stringify(toMsgTwin(t, false)), '{"expected":{"value":"5","metadata":{"timestamp":9}},"optional":false,"metadata":{"type":"int"}}');
  assert.equal(toMsgTwin(t, true).expected_version, { cloud: 3, edge: 0 });
});

test("checkValueType() follows KubeEdge's value types", () => {
  assert.is(checkValueType("string", "anything"), undefined);
  assert.is(checkValueType("", "x"), undefined);
  assert.is(checkValueType("int", "-42"), undefined);
  assert.is(checkValueType("integer", "9223372036854775807"), undefined);
  assert.is(checkValueType("int", "9223372036854775808"), "the value is not int or integer");
  assert.is(checkValueType("int", "1.5"), "the value is not int or integer");
  assert.is(checkValueType("float", "1.5e3"), undefined);
  assert.is(checkValueType("float", "abc"), "the value is not float");
  assert.is(checkValueType("boolean", "true"), undefined);
  assert.is(checkValueType("boolean", "yes"), "the bool value must be true or false");
  assert.is(checkValueType("Updated", "1"), "the value type is not allowed");
});

test.run();
