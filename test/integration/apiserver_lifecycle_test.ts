import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as yaml from "js-yaml";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.ts";
import { waitUntil } from "../support/process.ts";

let t: TestApiServer;
let n = 0;
const manifest = (doc: object) => {
  const path = join(t.dir, `l${++n}.yaml`);
  writeFileSync(path, yaml.dump(doc));
  return path;
};
const ok = async (args: string[]) => {
  const r = await t.kubectl(args);
  assert.is(r.code, 0, `kubectl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
};
const exists = async (path: string) => (await t.request("GET", path)).status === 200;

test.before(async () => {
  t = await startTestApiServer();
});
test.after(async () => {
  await t.close();
});

const widgetCrd = {
  apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "widgets.example.com" },
  spec: {
    group: "example.com", scope: "Namespaced",
    names: { plural: "widgets", singular: "widget", kind: "Widget", shortNames: ["wg"] },
    versions: [{
      name: "v1", served: true, storage: true, subresources: { status: {} },
      additionalPrinterColumns: [{ name: "Size", type: "integer", jsonPath: ".spec.size" }],
      schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
    }],
  },
};

test("a CRD applied with kubectl is served at once, with its printer columns, and takes its objects when deleted", async () => {
  assert.match(await ok(["apply", "-f", manifest(widgetCrd)]), /customresourcedefinition.apiextensions.k8s.io\/widgets.example.com created/);
  const widget = manifest({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w1" }, spec: { size: 3 } });
  assert.is(await ok(["apply", "-f", widget]), "widget.example.com/w1 created\n");
  const table = await ok(["get", "wg"]);
  assert.match(table, /^NAME\s+SIZE\nw1\s+3\n$/);
  assert.is(await ok(["apply", "-f", manifest({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w1" }, spec: { size: 4 } })]), "widget.example.com/w1 configured\n");
  const status = await t.request("PATCH", "/apis/example.com/v1/namespaces/default/widgets/w1/status", {
    headers: { "content-type": "application/merge-patch+json" }, body: JSON.stringify({ status: { ready: true }, spec: { size: 99 } }),
  });
  assert.is(status.status, 200, status.text);
  const w = (await t.request("GET", "/apis/example.com/v1/namespaces/default/widgets/w1")).json();
  assert.equal([w.spec.size, w.status.ready, w.metadata.generation], [4, true, 2]);
  const crd = (await t.request("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com")).json();
  assert.equal(crd.status.conditions.map((c: any) => `${c.type}=${c.status}`), ["NamesAccepted=True", "Established=True"]);
  await ok(["delete", "crd", "widgets.example.com"]);
  assert.is((await t.request("GET", "/apis/example.com/v1/namespaces/default/widgets")).status, 404);
  await ok(["apply", "-f", manifest(widgetCrd)]);
  assert.equal((await t.request("GET", "/apis/example.com/v1/namespaces/default/widgets")).json().items, []);
});

test("Device and DeviceModel custom resources are served from the start", async () => {
  const model = { apiVersion: "devices.kubeedge.io/v1alpha1", kind: "DeviceModel", metadata: { name: "sensor-tag-model" }, spec: { properties: [{ name: "temperature", type: { int: { accessMode: "ReadOnly" } } }] } };
  const device = {
    apiVersion: "devices.kubeedge.io/v1alpha1", kind: "Device", metadata: { name: "sensor-tag01" },
    spec: { deviceModelRef: { name: "sensor-tag-model" }, nodeSelector: { nodeSelectorTerms: [{ matchExpressions: [{ key: "", operator: "In", values: ["edge-node-1"] }] }] } },
    status: { twins: [{ propertyName: "temperature-enable", desired: { value: "OFF", metadata: { type: "string" } } }] },
  };
  assert.is(await ok(["apply", "-f", manifest(model)]), "devicemodel.devices.kubeedge.io/sensor-tag-model created\n");
  assert.is(await ok(["apply", "-f", manifest(device)]), "device.devices.kubeedge.io/sensor-tag01 created\n");
  assert.match(await ok(["get", "devices"]), /sensor-tag01\s+sensor-tag-model\s+\d+s/);
  const stored = (await t.request("GET", "/apis/devices.kubeedge.io/v1alpha1/namespaces/default/devices/sensor-tag01")).json();
  assert.is(stored.status.twins[0].desired.value, "OFF");
});

test("deleting a deployment deletes the replica sets it owns, and --cascade=orphan keeps them", async () => {
  const spec = { selector: { matchLabels: { app: "gc" } }, template: { metadata: { labels: { app: "gc" } }, spec: { containers: [{ name: "c", image: "x" }] } } };
  const make = async (name: string) => {
    const d = (await t.request("POST", "/apis/apps/v1/namespaces/default/deployments", { headers: { "content-type": "application/json" }, body: JSON.stringify({ metadata: { name }, spec }) })).json();
    const rs = { metadata: { name: `${name}-rs`, ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name, uid: d.metadata.uid, controller: true }] }, spec };
    assert.is((await t.request("POST", "/apis/apps/v1/namespaces/default/replicasets", { headers: { "content-type": "application/json" }, body: JSON.stringify(rs) })).status, 201);
  };
  await make("gc1");
  await make("gc2");
  await ok(["delete", "deploy", "gc1"]);
  await waitUntil(async () => !(await exists("/apis/apps/v1/namespaces/default/replicasets/gc1-rs")), 10_000, "replicaset gc1-rs deleted");
  await ok(["delete", "deploy", "gc2", "--cascade=orphan"]);
  const rs = (await t.request("GET", "/apis/apps/v1/namespaces/default/replicasets/gc2-rs")).json();
  assert.is(rs.metadata.ownerReferences, undefined);
});

test("an object with a finalizer stays terminating until the finalizer is removed", async () => {
  await ok(["apply", "-f", manifest({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "held", finalizers: ["example.com/hold"] } })]);
  assert.is(await ok(["delete", "cm", "held", "--wait=false"]), 'configmap "held" deleted\n');
  const held = (await t.request("GET", "/api/v1/namespaces/default/configmaps/held")).json();
  assert.ok(held.metadata.deletionTimestamp);
  await ok(["patch", "cm", "held", "--type=merge", "-p", '{"metadata":{"finalizers":null}}']);
  assert.is(await exists("/api/v1/namespaces/default/configmaps/held"), false);
});

test("kubectl delete namespace waits while its content is deleted; system namespaces are protected", async () => {
  await ok(["create", "namespace", "team"]);
  await ok(["apply", "-n", "team", "-f", manifest({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } })]);
  assert.is(await ok(["delete", "namespace", "team"]), 'namespace "team" deleted\n');
  assert.is(await exists("/api/v1/namespaces/team"), false);
  assert.is(await exists("/api/v1/namespaces/team/configmaps/c"), false);
  const refused = await t.kubectl(["delete", "namespace", "default"]);
  assert.is(refused.code, 1);
  assert.match(refused.stderr, /Error from server \(Forbidden\): namespaces "default" is forbidden: this namespace may not be deleted/);
  const created = await t.kubectl(["create", "configmap", "x", "-n", "nowhere"]);
  assert.match(created.stderr, /namespaces "nowhere" not found/);
});

test("objects, leases and events survive a restart and resource versions keep increasing", async () => {
  await ok(["apply", "-f", manifest({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "edge-node-1", namespace: "kube-node-lease" }, spec: { holderIdentity: "edge-node-1", leaseDurationSeconds: 40 } })]);
  const before = (await t.request("GET", "/api/v1/namespaces/default/configmaps")).json().metadata.resourceVersion;
  await t.restart();
  assert.match(await ok(["get", "lease", "-n", "kube-node-lease"]), /edge-node-1/);
  assert.match(await ok(["get", "devices"]), /sensor-tag01/);
  const cm = (await t.request("POST", "/api/v1/namespaces/default/configmaps", { headers: { "content-type": "application/json" }, body: JSON.stringify({ metadata: { name: "after" } }) })).json();
  assert.ok(Number(cm.metadata.resourceVersion) > Number(before));
  const old = await t.request("GET", `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${Number(before) - 1}`);
  assert.match(old.text, /"code":410/);
});

test.run();
