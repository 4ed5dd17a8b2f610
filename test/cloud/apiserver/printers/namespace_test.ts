import { test } from "uvu";
import * as assert from "uvu/assert";
import { namespacePrinter } from "../../../../lib/cloud/apiserver/printers/namespace.ts";

const NOW = new Date("2025-01-01T12:00:00Z");

test("namespacePrinter.cells() prints the phase and age", () => {
  const ns = { kind: "Namespace", apiVersion: "v1", metadata: { name: "kubeedge", creationTimestamp: "2024-10-01T00:00:00Z" }, status: { phase: "Active" } };
  assert.equal(namespacePrinter.cells(ns, NOW), ["kubeedge", "Active", "92d"]);
  const deleting = { metadata: { name: "old", creationTimestamp: "2025-01-01T11:00:00Z", deletionTimestamp: "2025-01-01T11:59:00Z" }, status: { phase: "Terminating" } };
  assert.equal(namespacePrinter.cells(deleting, NOW), ["old", "Terminating", "60m"]);
  assert.equal(namespacePrinter.columns.map((c) => c.name), ["Name", "Status", "Age"]);
});

test.run();
