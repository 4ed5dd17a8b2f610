import { test } from "uvu";
import * as assert from "uvu/assert";
import { crdResource, loadCrdManifests, setCrdStatus, validateCrd } from "../../../lib/cloud/apiserver/crds.ts";
import { compareVersions } from "../../../lib/cloud/apiserver/registry.ts";
import type { KubeObject } from "../../../lib/kube/index.ts";

// A real apiserver requires a schema in every version.
const schema = { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } };
const crd = (over: object = {}): KubeObject => ({
  apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "widgets.example.com" },
  spec: {
    group: "example.com", scope: "Cluster", names: { plural: "widgets", kind: "Widget", shortNames: ["wg"] },
    versions: [
      { name: "v1beta1", served: true, storage: false, schema },
      { name: "v1", served: true, storage: true, schema, subresources: { status: {}, scale: { specReplicasPath: ".spec.count", statusReplicasPath: ".status.count" } } },
      { name: "v1alpha1", served: false, storage: false, schema },
    ],
    ...over,
  },
}) as unknown as KubeObject;

test("crdResource() serves the served versions, best first, with the storage version's subresources", () => {
  const info = crdResource(crd())!;
  assert.equal(info.versions, ["v1", "v1beta1"]);
  assert.is(info.version, "v1");
  assert.equal([info.resource, info.kind, info.listKind, info.singular, info.namespaced], ["widgets", "Widget", "WidgetList", "widget", false]);
  assert.equal(info.subresources, ["status", "scale"]);
  assert.equal(info.scale, { specReplicasPath: "spec.count", statusReplicasPath: "status.count", labelSelectorPath: undefined });
  assert.is(info.crd, "widgets.example.com");
});

test("validateCrd() names what a CRD lacks, and checks its name", () => {
  assert.equal(validateCrd(crd()), []);
  assert.equal(validateCrd({ ...crd(), metadata: { name: "wrong.example.com" } }).map((c) => c.field), ["metadata.name"]);
  assert.equal(validateCrd(crd({ group: "nodot", scope: "Everywhere", versions: [] })).map((c) => c.field), ["spec.group", "spec.scope", "spec.versions"]);
});

test("validateCrd() applies the structural schema rules with the real apiserver's field paths", () => {
  const versions = (s: object | undefined) => [{ name: "v1", served: true, storage: true, ...(s ? { schema: { openAPIV3Schema: s } } : {}) }];
  assert.equal(validateCrd(crd({ versions: versions(undefined) })).map((c) => c.field), ["spec.versions[0].schema.openAPIV3Schema"]);
  const causes = validateCrd(crd({ versions: versions({ properties: { a: {}, b: { type: "array", items: {} }, c: { type: "map" }, d: { "x-kubernetes-int-or-string": true } } }) }));
  assert.equal(causes.map((c) => `${c.field}: ${c.message}`), [
    "spec.validation.openAPIV3Schema.type: Required value: must not be empty at the root",
    "spec.validation.openAPIV3Schema.properties[a].type: Required value: must not be empty for specified object fields",
    "spec.validation.openAPIV3Schema.properties[b].items.type: Required value: must not be empty for specified array items",
    'spec.validation.openAPIV3Schema.properties[c].type: Unsupported value: "map": supported values: "array", "boolean", "integer", "number", "object", "string"',
  ]);
});

test("setCrdStatus() reports the names accepted and the CRD established", () => {
  const c = crd() as any;
  setCrdStatus(c, "2025-01-01T00:00:00Z");
  assert.equal(c.status.conditions.map((x: any) => x.type), ["NamesAccepted", "Established"]);
  assert.equal(c.status.storedVersions, ["v1"]);
  assert.equal(c.status.acceptedNames.shortNames, ["wg"]);
});

test("loadCrdManifests() reads the Device and DeviceModel CRDs of conf/crds", () => {
  const names = loadCrdManifests().map((c) => c.metadata?.name).sort();
  assert.equal(names, ["devicemodels.devices.kubeedge.io", "devices.devices.kubeedge.io"]);
  for (const c of loadCrdManifests()) assert.equal(validateCrd(c), []);
});

test("compareVersions() ranks GA over beta over alpha", () => {
  assert.equal(["v1alpha1", "v2", "v1beta2", "v1", "v1beta1"].sort((a, b) => compareVersions(b, a)), ["v2", "v1", "v1beta2", "v1beta1", "v1alpha1"]);
});

test.run();
