import { test } from "uvu";
import * as assert from "uvu/assert";
import { leasePrinter } from "../../../../lib/cloud/apiserver/printers/lease.ts";

const NOW = new Date("2025-01-01T12:00:00Z");

test("leasePrinter.cells() prints the holder, or empty text without one", () => {
  const lease = {
    kind: "Lease", apiVersion: "coordination.k8s.io/v1",
    metadata: { name: "edge-node-1", namespace: "kube-node-lease", creationTimestamp: "2025-01-01T06:30:00Z" },
    spec: { holderIdentity: "edge-node-1", leaseDurationSeconds: 40, renewTime: "2025-01-01T11:59:50.000000Z" },
  };
  assert.equal(leasePrinter.cells(lease, NOW), ["edge-node-1", "edge-node-1", "5h30m"]);
  assert.equal(leasePrinter.cells({ metadata: { name: "free" }, spec: {} }, NOW), ["free", "", "<unknown>"]);
  assert.equal(leasePrinter.columns.map((c) => c.name), ["Name", "Holder", "Age"]);
});

test.run();
