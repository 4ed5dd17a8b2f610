import { test } from "uvu";
import * as assert from "uvu/assert";
import { KubeError } from "../../lib/kube/kube_error.ts";
import { fieldsV1Of, serverSideApply } from "../../lib/kube/server_side_apply.ts";
import type { JsonObject, KubeObject, ManagedFieldsEntry } from "../../lib/kube/types.ts";

const NOW = new Date("2025-03-04T05:06:07.890Z");

function cm(data: Record<string, string>, extra: JsonObject = {}): KubeObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "default" }, data, ...extra };
}

function apply(live: KubeObject | undefined, applied: KubeObject, manager = "kubectl"): KubeObject {
  const before = JSON.stringify([live, applied]);
  const { object } = serverSideApply(live, applied, { manager, kind: String(applied.kind), now: NOW });
  assert.is(JSON.stringify([live, applied]), before, "inputs unchanged");
  return object;
}

function withoutManaged(obj: KubeObject): KubeObject {
  const { managedFields: _, ...metadata } = obj.metadata ?? {};
  return { ...obj, metadata };
}

test("serverSideApply() creates the object and records the manager's field set", () => {
  const result = serverSideApply(undefined, cm({ a: "1", b: "2" }), { manager: "kubectl", kind: "ConfigMap", now: NOW });
  const fieldsV1 = { "f:data": { ".": {}, "f:a": {}, "f:b": {} } };
  assert.equal(result.managerApplied, fieldsV1);
  assert.equal(result.object, {
    ...cm({ a: "1", b: "2" }),
    metadata: {
      name: "cfg",
      namespace: "default",
      managedFields: [{ manager: "kubectl", operation: "Apply", apiVersion: "v1", time: "2025-03-04T05:06:07Z", fieldsType: "FieldsV1", fieldsV1 }],
    },
  });
});

test("serverSideApply() removes fields the same manager applied before and leaves out now", () => {
  const first = apply(undefined, cm({ a: "1", b: "2" }));
  const second = apply(first, cm({ a: "3" }));
  assert.equal(second.data, { a: "3" });
  assert.equal(second.metadata!.managedFields!.map((e) => e.fieldsV1), [{ "f:data": { ".": {}, "f:a": {} } }]);
  const third = apply(second, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "default" } });
  assert.not.ok("data" in third, "the emptied map goes too");
});

test("serverSideApply() keeps fields another manager also owns, and fields nobody owns", () => {
  const created: KubeObject = { ...cm({ untracked: "x" }), metadata: { name: "cfg", namespace: "default", labels: { team: "a" } } };
  const byKubectl = apply(created, cm({ a: "1", shared: "s" }, { metadata: { name: "cfg", namespace: "default", labels: { app: "web" } } }));
  const byOther = apply(byKubectl, cm({ shared: "s", o: "1" }), "other");
  const dropped = apply(byOther, cm({}));
  assert.equal(dropped.data, { untracked: "x", shared: "s", o: "1" });
  assert.equal(dropped.metadata!.labels, { team: "a" });
  assert.equal(dropped.metadata!.managedFields!.map((e) => e.manager), ["kubectl", "other"]);
});

test("serverSideApply() replaces the manager's entry in place and keeps other entries", () => {
  const update: ManagedFieldsEntry = { manager: "kube-controller-manager", operation: "Update", apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1: { "f:data": { "f:c": {} } } };
  const live: KubeObject = { ...cm({ c: "1" }), metadata: { name: "cfg", namespace: "default", managedFields: [update] } };
  const first = apply(live, cm({ a: "1" }));
  const second = apply(first, cm({ b: "1" }));
  assert.equal(second.data, { c: "1", b: "1" });
  const entries = second.metadata!.managedFields!;
  assert.equal(entries.map((e) => [e.manager, e.operation]), [["kube-controller-manager", "Update"], ["kubectl", "Apply"]]);
  assert.equal(entries[1]!.fieldsV1, { "f:data": { ".": {}, "f:b": {} } });
});

test("serverSideApply() ignores managedFields in the body and treats null as not set", () => {
  const body = cm({ a: "1" }, { binaryData: null });
  body.metadata!.managedFields = [{ manager: "forged", operation: "Apply", fieldsV1: { "f:data": {} } }];
  const out = apply(cm({ z: "1" }), body);
  assert.equal(out.metadata!.managedFields!.map((e) => e.manager), ["kubectl"]);
  assert.equal(out.data, { z: "1", a: "1" });
  assert.not.ok("binaryData" in out);
});

function deploy(containers: JsonObject[], extra: JsonObject = {}): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default" },
    spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers } } },
    ...extra,
  };
}

function containersOf(obj: KubeObject): JsonObject[] {
  return ((obj.spec as JsonObject).template as { spec: { containers: JsonObject[] } }).spec.containers;
}

test("serverSideApply() merges keyed lists by key, keeps server defaults, and drops removed items whole", () => {
  const first = apply(undefined, deploy([{ name: "nginx", image: "nginx:1.25", env: [{ name: "A", value: "1" }, { name: "B", value: "2" }], args: ["-x"] }]));
  // The server defaults fields nobody applied.
  containersOf(first)[0]!.imagePullPolicy = "IfNotPresent";
  containersOf(first)[0]!.terminationMessagePath = "/dev/termination-log";
  const second = apply(first, deploy([
    { name: "nginx", image: "nginx:1.26", env: [{ name: "B", value: "3" }] },
    { name: "sidecar", image: "busybox" },
  ]));
  assert.equal(containersOf(second), [
    { name: "nginx", image: "nginx:1.26", env: [{ name: "B", value: "3" }], imagePullPolicy: "IfNotPresent", terminationMessagePath: "/dev/termination-log" },
    { name: "sidecar", image: "busybox" },
  ]);
  const third = apply(second, deploy([{ name: "sidecar", image: "busybox" }]));
  assert.equal(containersOf(third), [{ name: "sidecar", image: "busybox" }]);
});

test("serverSideApply() keeps a keyed item and its merge key while another manager owns part of it", () => {
  const first = apply(undefined, deploy([{ name: "nginx", image: "nginx:1.25" }, { name: "s", image: "b" }]));
  const second = apply(first, deploy([{ name: "nginx", resources: { limits: { cpu: "1" } } }]), "tuner");
  const third = apply(second, deploy([{ name: "s", image: "b" }]));
  assert.equal(containersOf(third), [{ name: "nginx", resources: { limits: { cpu: "1" } } }, { name: "s", image: "b" }]);
});

test("serverSideApply() treats finalizers as a set and atomic lists as wholes", () => {
  const live: KubeObject = { ...cm({}), metadata: { name: "cfg", namespace: "default", finalizers: ["keep/me"] } };
  const first = apply(live, { ...cm({}), metadata: { name: "cfg", namespace: "default", finalizers: ["a/x", "b/y"] } });
  assert.equal(first.metadata!.finalizers, ["keep/me", "a/x", "b/y"]);
  const second = apply(first, { ...cm({}), metadata: { name: "cfg", namespace: "default", finalizers: ["a/x"] } });
  assert.equal(second.metadata!.finalizers, ["keep/me", "a/x"]);

  const withArgs = apply(undefined, deploy([{ name: "c", args: ["1", "2"] }]));
  const newArgs = apply(withArgs, deploy([{ name: "c", args: ["3"] }]));
  assert.equal(containersOf(newArgs)[0]!.args, ["3"]);
  const noArgs = apply(newArgs, deploy([{ name: "c" }]));
  assert.equal(containersOf(noArgs), [{ name: "c" }]);
});

test("serverSideApply() leaves kubectl's fields alone when kubectl-last-applied applies only the annotation", () => {
  const annotation = "kubectl.kubernetes.io/last-applied-configuration";
  const first = apply(undefined, deploy([{ name: "nginx", image: "nginx" }]));
  const second = apply(first, {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default", annotations: { [annotation]: "{}\n" } },
  }, "kubectl-last-applied");
  assert.equal(withoutManaged(second), { ...withoutManaged(first), metadata: { name: "web", namespace: "default", annotations: { [annotation]: "{}\n" } } });
  assert.equal(second.metadata!.managedFields!.map((e) => e.manager), ["kubectl", "kubectl-last-applied"]);
});

test("fieldsV1Of() names keyed items, set items and leaves, and skips identity fields", () => {
  const obj = deploy([{ name: "nginx", image: "nginx", ports: [{ containerPort: 80 }] }], {
    metadata: { name: "web", namespace: "default", uid: "u", resourceVersion: "3", labels: { app: "web" }, finalizers: ["f"] },
  });
  assert.equal(fieldsV1Of(obj, "Deployment"), {
    "f:metadata": { "f:labels": { ".": {}, "f:app": {} }, "f:finalizers": { 'v:"f"': {} } },
    "f:spec": {
      ".": {},
      "f:replicas": {},
      "f:selector": { ".": {}, "f:matchLabels": { ".": {}, "f:app": {} } },
      "f:template": {
        ".": {},
        "f:metadata": { ".": {}, "f:labels": { ".": {}, "f:app": {} } },
        "f:spec": {
          ".": {},
          "f:containers": {
            'k:{"name":"nginx"}': { ".": {}, "f:name": {}, "f:image": {}, "f:ports": { 'k:{"containerPort":80}': { ".": {}, "f:containerPort": {} } } },
          },
        },
      },
    },
  });
});

test("serverSideApply() throws InvalidPatch when a keyed item lacks its merge key", () => {
  assert.throws(
    () => serverSideApply(undefined, deploy([{ image: "x" }]), { manager: "kubectl", kind: "Deployment" }),
    (err: Error) => err instanceof KubeError && err.code === "InvalidPatch" && /spec.template.spec.containers.*merge key "name"/.test(err.message),
  );
});

test("serverSideApply() stamps the current time by default", () => {
  const { object } = serverSideApply(undefined, cm({ a: "1" }), { manager: "kubectl", kind: "ConfigMap" });
  const time = object.metadata!.managedFields![0]!.time!;
  assert.match(time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(Math.abs(Date.parse(time) - Date.now()) < 5_000);
});

test("serverSideApply() refuses to change a field another manager owns, names it, and takes it with force", () => {
  const deploy = (replicas: number): KubeObject => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "default" }, spec: { replicas } });
  const first = serverSideApply(undefined, deploy(2), { manager: "mgr", kind: "Deployment", now: NOW }).object;
  assert.equal(serverSideApply(first, deploy(2), { manager: "other", kind: "Deployment", now: NOW }).object.spec, { replicas: 2 }, "the same value is no conflict");
  try {
    serverSideApply(first, deploy(3), { manager: "other", kind: "Deployment", now: NOW });
    assert.unreachable("a conflict was expected");
  } catch (err) {
    assert.instance(err, KubeError);
    assert.is((err as KubeError).status, 409);
    assert.is((err as KubeError).message, 'Apply failed with 1 conflict: conflict with "mgr": .spec.replicas');
    assert.equal((err as KubeError).causes, [{ reason: "FieldManagerConflict", message: 'conflict with "mgr"', field: ".spec.replicas" }]);
  }
  const forced = serverSideApply(first, deploy(3), { manager: "other", kind: "Deployment", now: NOW, force: true }).object;
  assert.is((forced.spec as JsonObject).replicas, 3);
  assert.equal(forced.metadata!.managedFields!.map((e) => e.manager), ["other"], "mgr owned nothing else and its entry went");
});

test.run();
