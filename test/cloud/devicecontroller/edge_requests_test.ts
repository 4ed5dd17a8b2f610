import { test } from "uvu";
import * as assert from "uvu/assert";
import { routeRequest } from "../../../lib/cloud/devicecontroller/edge_requests.ts";
import { newMessage } from "../../../lib/model/index.ts";

const msg = (group: string, operation: string, resource: string, content: unknown = null) => newMessage({ source: "cloudhub", group, operation, resource, content });

test("routeRequest() reads hub events and edge requests with the node prefix", () => {
  assert.equal(routeRequest(msg("hub", "connected", "node/edge-1")), { kind: "connected", node: "edge-1" });
  assert.equal(routeRequest(msg("hub", "disconnected", "node/edge-1")), { kind: "disconnected", node: "edge-1" });
  assert.equal(routeRequest(msg("twin", "get", "node/edge-1/membership/detail")), { kind: "detail", node: "edge-1" });
  assert.equal(routeRequest(msg("twin", "update", "node/edge-1/device/d/state")), { kind: "state", node: "edge-1", device: "d" });
  const twin = { t: { actual: { value: "1" } } };
  assert.equal(routeRequest(msg("twin", "update", "node/edge-1/device/d/twin/edge_updated", { twin })), { kind: "edgeUpdated", node: "edge-1", device: "d", twin });
  assert.equal(routeRequest(msg("resource", "update", "node/edge-1/device/d/twin/edge_updated", JSON.stringify({ twin })))!.kind, "edgeUpdated", "group resource and JSON text accepted");
});

test("routeRequest() leaves out what DeviceController does not handle", () => {
  assert.is(routeRequest(msg("hub", "keepalive", "node/edge-1")), undefined);
  assert.is(routeRequest(msg("twin", "update", "membership")), undefined);
  assert.is(routeRequest(msg("twin", "update", "node/edge-1/default/pod/x")), undefined);
  const bad = routeRequest(msg("twin", "update", "node/edge-1/device/d/twin/edge_updated", "{not json"));
  assert.equal(bad, { kind: "edgeUpdated", node: "edge-1", device: "d", twin: undefined, problem: "no twin map" });
});

test("routeRequest() names the problem of a twin map of the wrong shape", () => {
  const cases: [unknown, RegExp][] = [
    [{ t: { actual: { value: 5 } } }, /twin\.t\.actual\.value: expected a string/],
    [{ t: { actual: { value: "1", metadata: { timestamp: "soon" } } } }, /timestamp: expected a number/],
    [{ t: "x" }, /twin\.t: expected an object/],
    [{ t: { actual: { value: "x".repeat(70_000) } } }, /expected at most 65536 characters/],
  ];
  for (const [twin, problem] of cases) {
    const r = routeRequest(msg("twin", "update", "node/edge-1/device/d/twin/edge_updated", { twin }));
    assert.ok(r?.kind === "edgeUpdated" && problem.test(r.problem ?? ""), `${JSON.stringify(twin).slice(0, 80)}: ${r?.kind === "edgeUpdated" ? r.problem : ""}`);
  }
});

test.run();
