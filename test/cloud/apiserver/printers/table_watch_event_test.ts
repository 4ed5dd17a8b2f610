import { test } from "uvu";
import * as assert from "uvu/assert";
import { tableWatchEvent } from "../../../../lib/cloud/apiserver/printers/table_watch_event.ts";
import type { Table } from "../../../../lib/cloud/apiserver/printers/types.ts";

const NOW = new Date("2025-01-01T12:00:00Z");
const cm = { kind: "ConfigMap", apiVersion: "v1", metadata: { name: "cfg", namespace: "default", resourceVersion: "42", creationTimestamp: "2025-01-01T11:00:00Z" }, data: { a: "1" } };

test("tableWatchEvent() gives the first event a one-row table with column definitions", () => {
  const event = tableWatchEvent("ADDED", cm, { first: true, now: NOW });
  assert.is(event.type, "ADDED");
  const table = event.object as Table;
  assert.equal(table.metadata, { resourceVersion: "42" });
  assert.equal(table.columnDefinitions!.map((c) => c.name), ["Name", "Data", "Age"]);
  assert.equal(table.rows[0].cells, ["cfg", 1, "60m"]);
  assert.is((table.rows[0].object as { kind: string }).kind, "PartialObjectMetadata");
});

test("tableWatchEvent() leaves column definitions out of later events", () => {
  const modified = tableWatchEvent("MODIFIED", cm, { now: NOW }).object as Table;
  assert.not.ok("columnDefinitions" in modified);
  const deleted = tableWatchEvent("DELETED", cm, { first: false, now: NOW }).object as Table;
  assert.equal(deleted.rows[0].cells, ["cfg", 1, "60m"]);
});

test("tableWatchEvent() uses the kind option over the object's own", () => {
  const table = tableWatchEvent("ADDED", { metadata: { name: "x", resourceVersion: "1" } }, { first: true, kind: "Lease", now: NOW }).object as Table;
  assert.equal(table.columnDefinitions!.map((c) => c.name), ["Name", "Holder", "Age"]);
});

test("tableWatchEvent() passes ERROR events through unchanged", () => {
  const status = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "too old resource version: 1 (1007)", reason: "Expired", code: 410 };
  assert.equal(tableWatchEvent("ERROR", status, { first: true }), { type: "ERROR", object: status });
});

test("tableWatchEvent() turns a BOOKMARK into an empty table carrying its resource version", () => {
  const event = tableWatchEvent("BOOKMARK", { kind: "ConfigMap", apiVersion: "v1", metadata: { resourceVersion: "77" } });
  assert.equal(event.object, { kind: "Table", apiVersion: "meta.k8s.io/v1", metadata: { resourceVersion: "77" }, rows: [] });
});

test("tableWatchEvent() puts the whole object in the row with includeObject=Object", () => {
  const table = tableWatchEvent("ADDED", cm, { includeObject: "Object", now: NOW }).object as Table;
  assert.equal(table.rows[0].object, cm);
});

test.run();
