import { test } from "uvu";
import * as assert from "uvu/assert";
import { isDeviceTwinTopic, SUBSCRIBE_TOPICS } from "../../../lib/edge/eventbus/index.ts";

test("SUBSCRIBE_TOPICS holds KubeEdge's list and the namespaced device forms", () => {
  for (const t of ["$hw/events/upload/#", "$hw/events/device/+/state/update", "$hw/events/device/+/twin/+", "$hw/events/node/+/membership/get", "SYS/dis/upload_records"]) {
    assert.ok(SUBSCRIBE_TOPICS.includes(t), t);
  }
  assert.ok(SUBSCRIBE_TOPICS.includes("$hw/events/device/+/+/twin/+"));
});

test("isDeviceTwinTopic() sends device and node topics to DeviceTwin, the rest to the cloud", () => {
  assert.ok(isDeviceTwinTopic("$hw/events/device/d/twin/update"));
  assert.ok(isDeviceTwinTopic("$hw/events/node/n/membership/get"));
  assert.not.ok(isDeviceTwinTopic("$hw/events/upload/x"));
  assert.not.ok(isDeviceTwinTopic("SYS/dis/upload_records"));
  assert.not.ok(isDeviceTwinTopic("$hw/events/devices/x"));
});

test.run();
