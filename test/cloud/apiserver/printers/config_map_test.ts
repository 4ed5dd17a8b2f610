import { test } from "uvu";
import * as assert from "uvu/assert";
import { configMapPrinter } from "../../../../lib/cloud/apiserver/printers/config_map.ts";

const NOW = new Date("2025-01-01T12:00:00Z");

test("configMapPrinter.cells() counts data and binaryData keys", () => {
  const cm = {
    kind: "ConfigMap", apiVersion: "v1",
    metadata: { name: "app-config", namespace: "default", creationTimestamp: "2024-12-31T12:00:00Z" },
    data: { "app.properties": "a=b", LOG_LEVEL: "debug" },
    binaryData: { "logo.png": "iVBORw0KGgo=" },
  };
  assert.equal(configMapPrinter.cells(cm, NOW), ["app-config", 3, "24h"]);
  assert.equal(configMapPrinter.columns.map((c) => c.name), ["Name", "Data", "Age"]);
});

test("configMapPrinter.cells() prints 0 for an empty config map", () => {
  assert.equal(configMapPrinter.cells({ metadata: { name: "empty", creationTimestamp: "2025-01-01T11:59:00Z" } }, NOW), ["empty", 0, "60s"]);
});

test.run();
