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
  assert.equal(bad, { kind: "edgeUpdated", node: "edge-1", device: "d", twin: undefined });
});

test.run();
