import { test } from "uvu";
import * as assert from "uvu/assert";
import { decodeMessage } from "../../../../lib/cloud/apiserver/protobuf/decode_message.ts";
import { ProtobufDecodeError } from "../../../../lib/cloud/apiserver/protobuf/protobuf_decode_error.ts";
import { field, inline, list, map, pointer, type MessageSpec } from "../../../../lib/cloud/apiserver/protobuf/schema.ts";
import { bytesField, messageField, stringField, tag, varint, varintField } from "./_encode.ts";

const decode = (parts: number[][], spec: MessageSpec) => decodeMessage(Uint8Array.from(parts.flat()), spec);

test("decodeMessage() leaves out zero values of plain fields and keeps them for pointer fields", () => {
  const spec: MessageSpec = {
    1: field("name", "string"), 2: field("count", "int32"), 3: field("on", "bool"), 4: field("nested", { 1: field("x", "string") }),
    5: pointer("replicas", "int32"), 6: pointer("immutable", "bool"), 7: pointer("emptyDir", { 1: field("medium", "string") }),
  };
  const got = decode([stringField(1, ""), varintField(2, 0), varintField(3, 0), messageField(4, stringField(1, "")), varintField(5, 0), varintField(6, 0), messageField(7)], spec);
  assert.equal(got, { replicas: 0, immutable: false, emptyDir: {} });
});

test("decodeMessage() reads negative int32 and large int64 values", () => {
  const spec: MessageSpec = { 1: field("a", "int32"), 2: field("b", "int64") };
  assert.equal(decode([varintField(1, -5), varintField(2, 1_700_000_000_123)], spec), { a: -5, b: 1_700_000_000_123 });
});

test("decodeMessage() builds maps, with bytes values as base64 and missing values as empty", () => {
  const spec: MessageSpec = { 2: map("data", "bytes"), 4: map("labels", "string") };
  const got = decode([
    messageField(2, stringField(1, "tls.key"), bytesField(2, [0x00, 0xff, 0x10])),
    messageField(4, stringField(1, "app"), stringField(2, "web")),
    messageField(4, stringField(1, "empty")),
    messageField(4, stringField(2, "no-key")),
  ], spec);
  assert.equal(got, { data: { "tls.key": "AP8Q" }, labels: { app: "web", empty: "", "": "no-key" } });
  const zeros = decode([messageField(1, stringField(1, "cpu")), messageField(2, stringField(1, "on")), messageField(3, stringField(1, "m"))], {
    1: map("limits", "quantity"), 2: map("flags", "bool"), 3: map("nested", { 1: field("x", "string") }),
  });
  assert.equal(zeros, { limits: { cpu: "" }, flags: { on: false }, nested: { m: {} } });
});

test("decodeMessage() keeps repeated elements in order, empty ones included", () => {
  const spec: MessageSpec = { 3: list("command", "string"), 6: list("ports", { 3: field("containerPort", "int32") }) };
  const got = decode([stringField(3, "sh"), stringField(3, ""), stringField(3, "-c"), messageField(6, varintField(3, 80)), messageField(6)], spec);
  assert.equal(got, { command: ["sh", "", "-c"], ports: [{ containerPort: 80 }, {}] });
});

test("decodeMessage() merges inline structs into the parent object", () => {
  const spec: MessageSpec = { 1: inline({ 1: field("name", "string") }), 2: field("key", "string"), 3: pointer("optional", "bool") };
  assert.equal(decode([messageField(1, stringField(1, "app-config")), stringField(2, "LOG_LEVEL"), varintField(3, 1)], spec), {
    name: "app-config", key: "LOG_LEVEL", optional: true,
  });
});

test("decodeMessage() turns Time and MicroTime into RFC 3339 and leaves the zero time out", () => {
  const spec: MessageSpec = { 8: field("creationTimestamp", "time"), 9: pointer("deletionTimestamp", "time"), 10: field("eventTime", "microTime") };
  const got = decode([
    messageField(8),
    messageField(9, varintField(1, 1_735_732_800), varintField(2, 999_000_000)),
    messageField(10, varintField(1, 1_735_732_800), varintField(2, 123_456_789)),
  ], spec);
  assert.equal(got, { deletionTimestamp: "2025-01-01T12:00:00Z", eventTime: "2025-01-01T12:00:00.123456Z" });
});

test("decodeMessage() reads IntOrString as a number or a string, and Quantity as its text", () => {
  const spec: MessageSpec = { 1: field("byNumber", "intOrString"), 2: field("byName", "intOrString"), 3: map("limits", "quantity") };
  const got = decode([
    messageField(1, varintField(1, 0), varintField(2, 8080), stringField(3, "")),
    messageField(2, varintField(1, 1), varintField(2, 0), stringField(3, "http")),
    messageField(3, stringField(1, "memory"), messageField(2, stringField(1, "128Mi"))),
  ], spec);
  assert.equal(got, { byNumber: 8080, byName: "http", limits: { memory: "128Mi" } });
});

test("decodeMessage() reads FieldsV1 as the JSON it holds", () => {
  const spec: MessageSpec = { 7: pointer("fieldsV1", "fieldsV1") };
  const json = [...new TextEncoder().encode('{"f:data":{"f:x":{}}}')];
  assert.equal(decode([messageField(7, bytesField(1, json))], spec), { fieldsV1: { "f:data": { "f:x": {} } } });
  try {
    decode([messageField(7, bytesField(1, [0x7b]))], spec);
    assert.unreachable("expected an error");
  } catch (err) {
    assert.match((err as Error).message, /field "fieldsV1" does not hold JSON/);
  }
});

test("decodeMessage() skips fields missing from the table, whatever their wire type", () => {
  const spec: MessageSpec = { 1: field("name", "string") };
  const got = decode([
    varintField(9, 7), [...tag(10, 1), 1, 2, 3, 4, 5, 6, 7, 8], stringField(11, "x"), [...tag(12, 5), 1, 2, 3, 4],
    stringField(1, "kept"),
  ], spec);
  assert.equal(got, { name: "kept" });
});

test("decodeMessage() names the field whose wire type does not match the table", () => {
  const spec: MessageSpec = { 2: field("spec", { 1: pointer("replicas", "int32") }) };
  try {
    decode([messageField(2, stringField(1, "3"))], spec);
    assert.unreachable("expected an error");
  } catch (err) {
    assert.instance(err, ProtobufDecodeError);
    assert.is((err as Error).message, 'Cannot decode protobuf body: field "spec.replicas" has wire type 2, expected 0');
  }
});

test("decodeMessage() lets the last value of a repeated singular field win", () => {
  assert.equal(decode([stringField(1, "a"), stringField(1, "b"), stringField(1, "")], { 1: field("name", "string") }), {});
  assert.equal(decode([varint(8), varint(1), varint(8), varint(2)], { 1: field("n", "int32") }), { n: 2 });
});

test.run();
