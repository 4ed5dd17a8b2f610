import { test } from "uvu";
import * as assert from "uvu/assert";
import { hasMergeSchema, listStrategy, type ListStrategy } from "../../lib/kube/_merge_schema.ts";

// The merge keys and sets of built-in kinds (patchStrategy and patchMergeKey tags of k8s.io/api).
const LISTS: [string, string, ListStrategy | undefined][] = [
  ["Pod", "spec.containers", { type: "map", key: "name" }],
  ["Pod", "spec.initContainers.env", { type: "map", key: "name" }],
  ["Pod", "spec.ephemeralContainers.volumeMounts", { type: "map", key: "mountPath" }],
  ["Pod", "spec.containers.ports", { type: "map", key: "containerPort" }],
  ["Pod", "spec.containers.volumeDevices", { type: "map", key: "devicePath" }],
  ["Pod", "spec.volumes", { type: "map", key: "name" }],
  ["Pod", "spec.resourceClaims", { type: "map", key: "name" }],
  ["Pod", "status.podIPs", { type: "map", key: "ip" }],
  ["Pod", "spec.containers.command", undefined],
  ["Pod", "spec.tolerations", undefined],
  ["Deployment", "spec.template.spec.containers.env", { type: "map", key: "name" }],
  ["Deployment", "spec.template.metadata.finalizers", { type: "set" }],
  ["Deployment", "spec.containers", undefined],
  ["CronJob", "spec.jobTemplate.spec.template.spec.hostAliases", { type: "map", key: "ip" }],
  ["PodTemplate", "template.spec.imagePullSecrets", { type: "map", key: "name" }],
  ["Node", "spec.podCIDRs", { type: "set" }],
  ["Node", "spec.taints", undefined],
  ["Node", "status.addresses", { type: "map", key: "type" }],
  ["Namespace", "status.conditions", { type: "map", key: "type" }],
  ["Service", "spec.ports", { type: "map", key: "port" }],
  ["ServiceAccount", "secrets", { type: "map", key: "name" }],
  ["ConfigMap", "metadata.ownerReferences", { type: "map", key: "uid" }],
  ["Secret", "metadata.finalizers", { type: "set" }],
  ["Device", "metadata.finalizers", undefined],
];

for (const [kind, path, strategy] of LISTS) {
  test(`listStrategy() gives ${JSON.stringify(strategy)} for ${kind} ${path}`, () => {
    assert.equal(listStrategy(kind, path), strategy);
  });
}

test("hasMergeSchema() knows built-in kinds only", () => {
  for (const kind of ["Pod", "Deployment", "ConfigMap", "Event", "Lease", "Node"]) assert.ok(hasMergeSchema(kind), kind);
  for (const kind of ["Device", "DeviceModel", "pods", ""]) assert.not.ok(hasMergeSchema(kind), kind);
});

test.run();
