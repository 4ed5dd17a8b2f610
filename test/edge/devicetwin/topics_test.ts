import { test } from "uvu";
import * as assert from "uvu/assert";
import { classifyTopic, deviceTopic, nodeTopic, deviceMayPublish } from "../../../lib/edge/devicetwin/topics.ts";

test("classifyTopic() reads device requests by id and by namespace and name", () => {
  assert.equal(classifyTopic("$hw/events/device/dht11/twin/update"), { action: "twinUpdate", ident: "dht11" });
  assert.equal(classifyTopic("$hw/events/device/default/dht11/twin/update"), { action: "twinUpdate", ident: "default/dht11" });
  assert.equal(classifyTopic("$hw/events/device/d/twin/get"), { action: "twinGet", ident: "d" });
  assert.equal(classifyTopic("$hw/events/device/d/twin/cloud_updated"), { action: "twinCloudUpdate", ident: "d" });
  assert.equal(classifyTopic("$hw/events/device/ns/d/state/update"), { action: "stateUpdate", ident: "ns/d" });
  assert.equal(classifyTopic("$hw/events/node/edge-1/membership/get"), { action: "membershipGet", node: "edge-1" });
});

test("classifyTopic() ignores answers, odd depths and other topics", () => {
  for (const t of [
    "$hw/events/device/d/twin/update/result", "$hw/events/device/a/b/c/twin/update", "$hw/events/device//twin/update",
    "$hw/events/device/d/unknown", "$hw/events/node/n/membership/get/result", "$hw/events/upload/x", "other",
  ]) assert.is(classifyTopic(t), undefined, t);
});

test("deviceTopic() and nodeTopic() build answer topics", () => {
  assert.is(deviceTopic("ns/d", "/twin/update/result"), "$hw/events/device/ns/d/twin/update/result");
  assert.is(nodeTopic("edge-1", "/membership/updated"), "$hw/events/node/edge-1/membership/updated");
});

test("deviceMayPublish() opens device requests and other topics, and keeps edge_core's own topics closed", () => {
  for (const open of ["$hw/events/device/d/twin/update", "$hw/events/device/ns/d/twin/get", "$hw/events/device/d/state/update", "$hw/events/node/n1/membership/get", "$hw/events/upload/t", "my/topic"]) {
    assert.ok(deviceMayPublish(open), open);
  }
  for (const closed of ["$hw/events/device/d/twin/cloud_updated", "$hw/events/device/d/twin/update/result", "$hw/events/device/d/twin/update/delta", "$hw/events/device/d/twin/update/document", "$hw/events/device/d/twin/get/result", "$hw/events/device/d/state/update/result", "$hw/events/device/d/updated", "$hw/events/node/n1/membership/updated", "$hw/events/node/n1/membership/get/result", "$hw/events/device/a/b/c/twin/update"]) {
    assert.not.ok(deviceMayPublish(closed), closed);
  }
});

test.run();
