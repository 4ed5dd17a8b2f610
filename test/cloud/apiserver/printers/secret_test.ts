import { test } from "uvu";
import * as assert from "uvu/assert";
import { secretPrinter } from "../../../../lib/cloud/apiserver/printers/secret.ts";

const NOW = new Date("2025-01-01T12:00:00Z");

test("secretPrinter.cells() prints the type and the number of data keys, never the values", () => {
  const s = {
    kind: "Secret", apiVersion: "v1",
    metadata: { name: "web-tls", namespace: "default", creationTimestamp: "2024-12-20T12:00:00Z" },
    type: "kubernetes.io/tls",
    data: { "tls.crt": "LS0tLS1CRUdJTg==", "tls.key": "c2VjcmV0LWtleQ==" },
  };
  const cells = secretPrinter.cells(s, NOW);
  assert.equal(cells, ["web-tls", "kubernetes.io/tls", 2, "12d"]);
  assert.not.ok(JSON.stringify(cells).includes("c2VjcmV0"));
  assert.equal(secretPrinter.columns.map((c) => c.name), ["Name", "Type", "Data", "Age"]);
});

test("secretPrinter.cells() prints an Opaque secret without data as 0", () => {
  assert.equal(secretPrinter.cells({ metadata: { name: "s" }, type: "Opaque" }, NOW), ["s", "Opaque", 0, "<unknown>"]);
});

test.run();
