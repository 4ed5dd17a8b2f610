import { test } from "uvu";
import * as assert from "uvu/assert";
import { replicaSetPrinter } from "../../../../lib/cloud/apiserver/printers/replica_set.ts";

const NOW = new Date("2025-01-01T12:00:00Z");

const rs = {
  kind: "ReplicaSet",
  apiVersion: "apps/v1",
  metadata: { name: "web-7d4b9c8f5", namespace: "default", creationTimestamp: "2025-01-01T09:00:00Z" },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: "web", "pod-template-hash": "7d4b9c8f5" } },
    template: { spec: { containers: [{ name: "nginx", image: "nginx:1.27" }] } },
  },
  status: { replicas: 3, readyReplicas: 2, availableReplicas: 2 },
};

test("replicaSetPrinter declares Desired, Current and Ready as integer columns", () => {
  assert.equal(replicaSetPrinter.columns.map((c) => [c.name, c.type, c.priority]), [
    ["Name", "string", 0], ["Desired", "integer", 0], ["Current", "integer", 0], ["Ready", "integer", 0],
    ["Age", "string", 0], ["Containers", "string", 1], ["Images", "string", 1], ["Selector", "string", 1],
  ]);
});

test("replicaSetPrinter.cells() prints desired, current and ready as numbers", () => {
  assert.equal(replicaSetPrinter.cells(rs, NOW), ["web-7d4b9c8f5", 3, 3, 2, "3h", "nginx", "nginx:1.27", "app=web,pod-template-hash=7d4b9c8f5"]);
});

test("replicaSetPrinter.cells() prints <none> for an empty selector and zeros without status", () => {
  const bare = { metadata: { name: "r" }, spec: { replicas: 0, selector: {} } };
  assert.equal(replicaSetPrinter.cells(bare, NOW), ["r", 0, 0, 0, "<unknown>", "", "", "<none>"]);
});

test.run();
