import { test } from "uvu";
import * as assert from "uvu/assert";
import { printerFor } from "../../../../lib/cloud/apiserver/printers/printer_for.ts";
import { serviceAccountPrinter } from "../../../../lib/cloud/apiserver/printers/service_account.ts";

const NOW = new Date("2025-01-01T12:00:00Z");

test("serviceAccountPrinter prints NAME SECRETS AGE like the real apiserver", () => {
  // the real v1.28 apiserver answers `kubectl get sa` with these three columns and cells ["default", 0, "16s"]
  assert.equal(serviceAccountPrinter.columns.map((c) => c.name), ["Name", "Secrets", "Age"]);
  const sa = { kind: "ServiceAccount", apiVersion: "v1", metadata: { name: "default", creationTimestamp: "2025-01-01T11:59:44Z" } };
  assert.equal(serviceAccountPrinter.cells(sa, NOW), ["default", 0, "16s"]);
  assert.equal(serviceAccountPrinter.cells({ ...sa, secrets: [{ name: "a" }, { name: "b" }] }, NOW)[1], 2);
});

test("printerFor(ServiceAccount) is the ServiceAccount printer", () => {
  assert.is(printerFor("ServiceAccount"), serviceAccountPrinter);
});

test.run();
