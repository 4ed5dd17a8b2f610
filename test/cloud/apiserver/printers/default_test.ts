import { test } from "uvu";
import * as assert from "uvu/assert";
import { defaultPrinter } from "../../../../lib/cloud/apiserver/printers/default.ts";

test("defaultPrinter prints NAME and a date-typed CREATED AT", () => {
  assert.equal(defaultPrinter.columns.map((c) => [c.name, c.type, c.format, c.priority]), [["Name", "string", "name", 0], ["Created At", "date", "", 0]]);
});

test("defaultPrinter.cells() prints the creation time as RFC 3339 UTC in whole seconds", () => {
  const crd = {
    kind: "CustomResourceDefinition", apiVersion: "apiextensions.k8s.io/v1",
    metadata: { name: "devices.devices.kubeedge.io", creationTimestamp: "2024-11-05T08:15:30.250+02:00" },
  };
  assert.equal(defaultPrinter.cells(crd, new Date()), ["devices.devices.kubeedge.io", "2024-11-05T06:15:30Z"]);
});

test("defaultPrinter.cells() prints Go's zero time without a creation time", () => {
  assert.equal(defaultPrinter.cells({ metadata: { name: "x" } }, new Date()), ["x", "0001-01-01T00:00:00Z"]);
});

test.run();
