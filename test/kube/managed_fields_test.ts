import { test } from "uvu";
import * as assert from "uvu/assert";
import { recordUpdate } from "../../lib/kube/managed_fields.ts";
import { serverSideApply } from "../../lib/kube/server_side_apply.ts";
import type { KubeObject } from "../../lib/kube/types.ts";

const NOW = new Date("2025-03-04T05:06:07.890Z");
const cm = (data: Record<string, string>, managedFields?: unknown): KubeObject =>
  ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "default", ...(managedFields ? { managedFields } : {}) }, data }) as unknown as KubeObject;
const update = (prev: KubeObject | undefined, next: KubeObject, manager: string) => {
  recordUpdate(prev, next, { manager, kind: "ConfigMap", apiVersion: "v1", now: NOW });
  return next;
};

test("recordUpdate() gives a creator every field, with `.` on the maps it made", () => {
  const created = update(undefined, cm({ a: "1" }), "kubectl-create");
  assert.equal(created.metadata!.managedFields, [
    { manager: "kubectl-create", operation: "Update", apiVersion: "v1", time: "2025-03-04T05:06:07Z", fieldsType: "FieldsV1", fieldsV1: { "f:data": { ".": {}, "f:a": {} } } },
  ]);
});

test("recordUpdate() moves a changed field to the writer, drops removed fields, and leaves a no-op alone", () => {
  const created = update(undefined, cm({ a: "1", b: "2" }), "first");
  const changed = update(created, cm({ a: "9", b: "2" }, created.metadata!.managedFields), "second");
  assert.equal(changed.metadata!.managedFields!.map((e) => [e.manager, e.fieldsV1]), [
    ["first", { "f:data": { ".": {}, "f:b": {} } }],
    ["second", { "f:data": { "f:a": {} } }],
  ]);
  const removed = update(changed, cm({ b: "2" }, changed.metadata!.managedFields), "first");
  assert.equal(removed.metadata!.managedFields!.map((e) => e.manager), ["first"], "second owned only the removed field");
  const same = update(removed, cm({ b: "2" }, removed.metadata!.managedFields), "third");
  assert.equal(same.metadata!.managedFields, removed.metadata!.managedFields);
});

test("an applier whose field an update changed conflicts with the updater on its next apply", () => {
  const applied = serverSideApply(undefined, cm({ a: "1" }), { manager: "kubectl", kind: "ConfigMap", now: NOW }).object;
  const edited = update(applied, { ...cm({ a: "2" }), metadata: { ...applied.metadata } }, "kubectl-edit");
  assert.throws(() => serverSideApply(edited, cm({ a: "3" }), { manager: "kubectl", kind: "ConfigMap", now: NOW }), /conflict with "kubectl-edit" using v1: \.data\.a/);
});

test.run();
