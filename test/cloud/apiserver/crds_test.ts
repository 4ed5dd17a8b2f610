import { test } from "uvu";
import * as assert from "uvu/assert";
import { crdResource, loadCrdManifests, setCrdStatus, validateCrd } from "../../../lib/cloud/apiserver/crds.ts";
import { compareVersions } from "../../../lib/cloud/apiserver/registry.ts";
import type { KubeObject } from "../../../lib/kube/index.ts";

const crd = (over: object = {}): KubeObject => ({
  apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "widgets.example.com" },
  spec: {
    group: "example.com", scope: "Cluster", names: { plural: "widgets", kind: "Widget", shortNames: ["wg"] },
    versions: [
      { name: "v1beta1", served: true, storage: false },
      { name: "v1", served: true, storage: true, subresources: { status: {}, scale: { specReplicasPath: ".spec.count", statusReplicasPath: ".status.count" } } },
      { name: "v1alpha1", served: false, storage: false },
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
