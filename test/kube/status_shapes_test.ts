import { test } from "uvu";
import * as assert from "uvu/assert";
import { conditionsOf, findCondition, nodeStatusShape, podStatusShape } from "../../lib/kube/index.ts";

const now = "2024-01-02T03:04:05Z";

test("nodeStatusShape accepts what edged reports and refuses wrong types", () => {
  const ok = {
    capacity: { cpu: "2", memory: "2048Mi", pods: "110" }, allocatable: { cpu: "2", memory: "2048Mi", pods: "110" },
    conditions: [{ type: "Ready", status: "True", reason: "EdgeReady", message: "m", lastHeartbeatTime: now, lastTransitionTime: now }],
    addresses: [{ type: "InternalIP", address: "10.0.0.1" }], daemonEndpoints: { kubeletEndpoint: { Port: 10350 } },
    nodeInfo: { architecture: "amd64", operatingSystem: "linux", kubeletVersion: "v1.28.7" },
  };
  assert.is(nodeStatusShape(ok, "Status"), undefined);
  assert.is(nodeStatusShape({ conditions: "x" }, "Status"), 'Status.conditions: expected an array, got "x"');
  assert.match(nodeStatusShape({ allocatable: { pods: "lots" } }, "Status")!, /Status\.allocatable\.pods: expected to match/);
  assert.match(nodeStatusShape({ conditions: [{ type: "Ready", status: "Maybe" }] }, "Status")!, /expected one of True\|False\|Unknown/);
});

test("podStatusShape accepts edged's pod status and refuses wrong types", () => {
  const ok = {
    phase: "Running", startTime: now, qosClass: "BestEffort", podIPs: [{ ip: "172.17.0.2" }],
    conditions: [{ type: "Ready", status: "True", lastProbeTime: null, lastTransitionTime: now }],
    containerStatuses: [{ name: "c", ready: true, restartCount: 0, image: "busybox", imageID: "docker://x", state: { running: { startedAt: now } }, lastState: {} }],
  };
  assert.is(podStatusShape(ok, "Status"), undefined);
  assert.match(podStatusShape({ containerStatuses: "x" }, "Status")!, /containerStatuses: expected an array/);
  assert.match(podStatusShape({ phase: "Pwned" }, "Status")!, /phase: expected one of/);
});

test("conditionsOf() and findCondition() read only well-formed conditions", () => {
  assert.equal(conditionsOf({ conditions: "x" }), []);
  assert.equal(conditionsOf(undefined), []);
  assert.equal(conditionsOf({ conditions: [1, null, { type: "Ready", status: "True" }] }), [{ type: "Ready", status: "True" }]);
  assert.is(findCondition({ conditions: [{ type: "Ready", status: "False" }] }, "Ready")?.status, "False");
});

test.run();
