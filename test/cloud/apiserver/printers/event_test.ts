import { test } from "uvu";
import * as assert from "uvu/assert";
import { eventPrinter } from "../../../../lib/cloud/apiserver/printers/event.ts";

const NOW = new Date("2025-01-01T12:00:00Z");

test("eventPrinter has the columns of kubectl get events, the wide ones at priority 1", () => {
  assert.equal(eventPrinter.columns.map((c) => [c.name, c.format, c.priority]), [
    ["Last Seen", "", 0], ["Type", "", 0], ["Reason", "", 0], ["Object", "", 0], ["Subobject", "", 1], ["Source", "", 1],
    ["Message", "", 0], ["First Seen", "", 1], ["Count", "", 1], ["Name", "name", 1],
  ]);
});

test("eventPrinter.cells() prints a kubelet event with the lowercased kind/name object", () => {
  const e = {
    kind: "Event", apiVersion: "v1",
    metadata: { name: "nginx.17f5a2b3c4d5e6f7", namespace: "default" },
    involvedObject: { kind: "Pod", namespace: "default", name: "nginx", uid: "u1", fieldPath: "spec.containers{nginx}" },
    reason: "Pulled", message: "Container image \"nginx:1.27\" already present on machine\n", type: "Normal",
    source: { component: "kubelet", host: "edge-node-1" },
    firstTimestamp: "2025-01-01T11:50:00Z", lastTimestamp: "2025-01-01T11:58:00Z", count: 4,
  };
  assert.equal(eventPrinter.cells(e, NOW), [
    "2m", "Normal", "Pulled", "pod/nginx", "spec.containers{nginx}", "kubelet, edge-node-1",
    "Container image \"nginx:1.27\" already present on machine", "10m", 4, "nginx.17f5a2b3c4d5e6f7",
  ]);
});

test("eventPrinter.cells() falls back to eventTime, reporting controller and a count of 1 for new-style events", () => {
  const e = {
    metadata: { name: "web.1" },
    involvedObject: { kind: "Deployment", name: "web" },
    reason: "ScalingReplicaSet", message: "Scaled up replica set web-7d4b9c8f5 to 3", type: "Normal",
    eventTime: "2025-01-01T11:59:30.123456Z", reportingComponent: "deployment-controller", firstTimestamp: null, lastTimestamp: null,
  };
  assert.equal(eventPrinter.cells(e, NOW), [
    "29s", "Normal", "ScalingReplicaSet", "deployment/web", "", "deployment-controller",
    "Scaled up replica set web-7d4b9c8f5 to 3", "29s", 1, "web.1",
  ]);
});

test("eventPrinter.cells() takes last seen and count from a series", () => {
  const e = {
    metadata: { name: "n.1" }, involvedObject: { kind: "Node" }, type: "Warning", reason: "NodeNotReady",
    eventTime: "2025-01-01T10:00:00.000000Z", series: { count: 7, lastObservedTime: "2025-01-01T11:00:00.000000Z" },
  };
  assert.equal(eventPrinter.cells(e, NOW).slice(0, 4), ["60m", "Warning", "NodeNotReady", "node"]);
  assert.equal(eventPrinter.cells(e, NOW).slice(7, 9), ["120m", 7]);
});

test("eventPrinter.cells() prints <unknown> for an event without any time", () => {
  assert.equal(eventPrinter.cells({ metadata: { name: "x" }, involvedObject: { kind: "Pod", name: "p" } }, NOW).slice(0, 4), ["<unknown>", "", "", "pod/p"]);
});

test.run();
