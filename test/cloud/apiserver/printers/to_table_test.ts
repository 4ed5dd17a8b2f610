import { test } from "uvu";
import * as assert from "uvu/assert";
import { toTable } from "../../../../lib/cloud/apiserver/printers/to_table.ts";

const NOW = new Date("2025-01-01T12:00:00Z");

const pod = {
  kind: "Pod",
  apiVersion: "v1",
  metadata: {
    name: "nginx", namespace: "default", uid: "0b7e7c1e-1111-4a2b-9c3d-000000000001", resourceVersion: "1005",
    creationTimestamp: "2025-01-01T11:59:46Z", labels: { app: "web" },
  },
  spec: { nodeName: "edge-node-1", containers: [{ name: "nginx", image: "nginx:1.27" }] },
  status: { phase: "Running", podIPs: [{ ip: "10.244.0.4" }], containerStatuses: [{ name: "nginx", ready: true, restartCount: 0, state: { running: {} } }] },
};

test("toTable() renders kubectl's pod table with PartialObjectMetadata rows", () => {
  const table = toTable("Pod", [pod], { now: NOW, resourceVersion: "1015" });
  assert.is(table.kind, "Table");
  assert.is(table.apiVersion, "meta.k8s.io/v1");
  assert.equal(table.metadata, { resourceVersion: "1015" });
  assert.equal(table.columnDefinitions![0], {
    name: "Name", type: "string", format: "name", description: "The object's name, unique within its namespace.", priority: 0,
  });
  assert.equal(table.rows, [{
    cells: ["nginx", "1/1", "Running", "0", "14s", "10.244.0.4", "edge-node-1", "<none>", "<none>"],
    object: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: pod.metadata },
  }]);
});

test("toTable() puts the whole object in each row with includeObject=Object", () => {
  const table = toTable("Pod", [pod], { now: NOW, includeObject: "Object" });
  assert.equal(table.rows[0].object, pod);
});

test("toTable() leaves rows without an object with includeObject=None", () => {
  const table = toTable("Pod", [pod], { now: NOW, includeObject: "None" });
  assert.not.ok("object" in table.rows[0]);
});

test("toTable() leaves out columnDefinitions with noHeaders", () => {
  const table = toTable("Pod", [pod], { now: NOW, noHeaders: true });
  assert.not.ok("columnDefinitions" in table);
  assert.is(table.rows.length, 1);
});

test("toTable() gives an empty table with columns for no objects", () => {
  const table = toTable("Node", [], { resourceVersion: "3" });
  assert.equal(table.rows, []);
  assert.is(table.columnDefinitions!.length, 10);
  assert.equal(table.metadata, { resourceVersion: "3" });
});

test("toTable() adds the Completed row condition for finished pods", () => {
  const done = { ...pod, status: { phase: "Succeeded" } };
  const table = toTable("Pod", [done], { now: NOW });
  assert.is(table.rows[0].conditions![0].type, "Completed");
  assert.not.ok("conditions" in toTable("Pod", [pod], { now: NOW }).rows[0]);
});

test("toTable() prints unknown kinds with NAME and CREATED AT, and carries a continue token", () => {
  const device = { kind: "Device", apiVersion: "devices.kubeedge.io/v1beta1", metadata: { name: "thermo-1", namespace: "default", creationTimestamp: "2024-06-01T00:00:00Z" } };
  const table = toTable("Device", [device], { continue: "abc" });
  assert.equal(table.columnDefinitions!.map((c) => c.name), ["Name", "Created At"]);
  assert.equal(table.rows[0].cells, ["thermo-1", "2024-06-01T00:00:00Z"]);
  assert.equal(table.metadata, { continue: "abc" });
});

test("toTable() returns column definitions the caller may change without touching the printer", () => {
  const first = toTable("Secret", []);
  first.columnDefinitions![0].name = "changed";
  assert.is(toTable("Secret", []).columnDefinitions![0].name, "Name");
});

test("toTable() measures ages against the current time by default", () => {
  const fresh = { ...pod, metadata: { ...pod.metadata, creationTimestamp: new Date().toISOString() } };
  assert.match(String(toTable("Pod", [fresh]).rows[0].cells[4]), /^[0-2]s$/);
});

test.run();
