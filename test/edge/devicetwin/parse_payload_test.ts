import { test } from "uvu";
import * as assert from "uvu/assert";
import { isValidTwinName, isValidTwinValue, parseBaseMessage, parseDeviceUpdate, parseMembership, parseTwinUpdate } from "../../../lib/edge/devicetwin/parse_payload.ts";
import { Reason, TwinError } from "../../../lib/edge/devicetwin/twin_error.ts";

function reject(fn: () => unknown): TwinError {
  try {
    fn();
  } catch (err) {
    assert.instance(err, TwinError);
    return err as TwinError;
  }
  throw new Error("expected a TwinError");
}

test("parseTwinUpdate() reads KubeEdge's DeviceTwinUpdate", () => {
  const u = parseTwinUpdate('{"event_id":"e","timestamp":5,"twin":{"t":{"expected":{"value":"1","metadata":{"timestamp":2}},"actual":{"value":"2"},"optional":true,"metadata":{"type":"int"},"expected_version":{"cloud":1,"edge":2}},"gone":null}}');
  assert.equal(u, { event_id: "e", timestamp: 5, twin: {
    t: { expected: { value: "1", metadata: { timestamp: 2 } }, actual: { value: "2" }, optional: true, metadata: { type: "int" }, expected_version: { cloud: 1, edge: 2 } },
    gone: null,
  } });
  assert.equal(parseTwinUpdate({ twin: {} }), { event_id: "", timestamp: 0, twin: {} }, "already decoded content from the cloud");
});

test("parseTwinUpdate() rejects what KubeEdge's decoder rejects, with KubeEdge's reasons", () => {
  assert.is(reject(() => parseTwinUpdate("nope")).message, Reason.unmarshal);
  assert.is(reject(() => parseTwinUpdate("[1]")).message, Reason.unmarshal);
  assert.is(reject(() => parseTwinUpdate('{"twin":[]}')).message, Reason.unmarshal);
  assert.is(reject(() => parseTwinUpdate('{"timestamp":"now","twin":{}}')).message, Reason.unmarshal);
  assert.is(reject(() => parseTwinUpdate('{"twin":{"a":{"optional":"yes"}}}')).message, Reason.unmarshal);
  const e = reject(() => parseTwinUpdate('{"event_id":"x"}'));
  assert.equal([e.code, e.message, e.eventId], [400, Reason.noTwin, "x"]);
  assert.is(reject(() => parseTwinUpdate("null")).message, Reason.noTwin);
  assert.is(reject(() => parseTwinUpdate('{"twin":{"a b":{}}}')).message, Reason.badKey);
  assert.is(reject(() => parseTwinUpdate('{"twin":{"a":{"expected":{"value":"x y"}}}}')).message, Reason.badValue);
  assert.is(reject(() => parseTwinUpdate('{"event_id":"k","twin":5}')).eventId, "k", "event id kept when the body is malformed");
});

test("isValidTwinName() and isValidTwinValue() allow KubeEdge's characters and lengths", () => {
  assert.ok(isValidTwinName("temperature-1_a.b,c:d/e@f#g"));
  assert.not.ok(isValidTwinName(""));
  assert.not.ok(isValidTwinName("x".repeat(129)));
  assert.ok(isValidTwinName("x".repeat(128)));
  assert.ok(isValidTwinValue(""));
  assert.ok(isValidTwinValue("-12.5e3"));
  assert.not.ok(isValidTwinValue("+1"));
  assert.not.ok(isValidTwinValue("x".repeat(513)));
});

test("parseBaseMessage(), parseDeviceUpdate() and parseMembership() read their payloads", () => {
  assert.equal(parseBaseMessage('{"event_id":"g"}', "get"), { event_id: "g", timestamp: 0 });
  assert.match(reject(() => parseBaseMessage("[", "twin get request")).message, /Unmarshal twin get request failed/);
  assert.equal(parseDeviceUpdate('{"event_id":"s","state":"online"}'), { event_id: "s", timestamp: 0, state: "online", attributes: undefined });
  const m = parseMembership({ event_id: "m", added_devices: [{ id: "a", name: "a", twin: { t: { expected: { value: "1" } } } }, { name: "no id" }], removed_devices: null });
  assert.equal(m.added.map((d) => d.id), ["a"]);
  assert.equal(m.removed, []);
  assert.equal(parseMembership('{"devices":[{"id":"z"}]}').devices, [{ id: "z" }]);
  assert.is(reject(() => parseMembership('{"added_devices":{}}')).code, 400);
});

test.run();
