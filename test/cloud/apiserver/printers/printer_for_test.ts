import { test } from "uvu";
import * as assert from "uvu/assert";
import { defaultPrinter } from "../../../../lib/cloud/apiserver/printers/default.ts";
import { podPrinter } from "../../../../lib/cloud/apiserver/printers/pod.ts";
import { printerFor } from "../../../../lib/cloud/apiserver/printers/printer_for.ts";

test("printerFor() finds each kind's own printer", () => {
  assert.is(printerFor("Pod"), podPrinter);
  const firstColumns = ["Node", "Deployment", "ReplicaSet", "ConfigMap", "Secret", "Namespace", "Event", "Service", "Lease"]
    .map((kind) => printerFor(kind).columns[1].name);
  assert.equal(firstColumns, ["Status", "Ready", "Desired", "Data", "Type", "Status", "Type", "Type", "Holder"]);
});

test("printerFor() gives CRDs, custom kinds and prototype names the default printer", () => {
  assert.is(printerFor("CustomResourceDefinition"), defaultPrinter);
  assert.is(printerFor("Device"), defaultPrinter);
  assert.is(printerFor("toString"), defaultPrinter);
  assert.is(printerFor("pod"), defaultPrinter);
});

test.run();
