import { test } from "uvu";
import * as assert from "uvu/assert";
import { KubeError } from "../../lib/kube/kube_error.ts";
import { strategicMergePatch, supportsStrategicMerge } from "../../lib/kube/strategic_merge_patch.ts";
import type { JsonObject, JsonValue } from "../../lib/kube/types.ts";

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

function deployment(): JsonObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: "web",
      namespace: "default",
      uid: "0b6f3b1e-0000-4000-8000-000000000001",
      resourceVersion: "7",
      generation: 1,
      labels: { app: "web" },
      annotations: { [LAST_APPLIED]: "{\"old\":true}\n", "deployment.kubernetes.io/revision": "1" },
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: "web" } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: {
          containers: [
            {
              name: "nginx",
              image: "nginx:1.25",
              env: [{ name: "A", value: "1" }, { name: "B", value: "2" }],
              ports: [{ containerPort: 80, protocol: "TCP" }],
              imagePullPolicy: "IfNotPresent",
            },
          ],
          restartPolicy: "Always",
          dnsPolicy: "ClusterFirst",
        },
      },
    },
    status: { replicas: 2, conditions: [{ type: "Available", status: "True" }] },
  };
}

/** Runs a patch and checks it changed neither input. */
function patched(live: JsonObject, patch: JsonValue, kind: string): JsonObject {
  const before = JSON.stringify([live, patch]);
  const out = strategicMergePatch(live, patch, kind);
  assert.is(JSON.stringify([live, patch]), before, "inputs unchanged");
  return out;
}

test("strategicMergePatch() applies kubectl's observed client-side apply body to a Deployment exactly", () => {
  const newConfig = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"annotations\":{},\"name\":\"web\",\"namespace\":\"default\"}}\n";
  // What kubectl apply sent, observed: replicas 2->3, image change, env A removed, env B changed, sidecar added.
  const body = JSON.parse(`{"metadata":{"annotations":{"${LAST_APPLIED}":${JSON.stringify(newConfig)}}},
   "spec":{"replicas":3,"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"},{"name":"sidecar"}],
    "containers":[{"$setElementOrder/env":[{"name":"B"}],"env":[{"name":"B","value":"3"},{"$patch":"delete","name":"A"}],"image":"nginx:1.26","name":"nginx"},
                  {"image":"busybox","name":"sidecar"}]}}}}`) as JsonValue;
  const expected = deployment();
  const meta = expected.metadata as JsonObject;
  meta.annotations = { [LAST_APPLIED]: newConfig, "deployment.kubernetes.io/revision": "1" };
  const spec = expected.spec as JsonObject;
  spec.replicas = 3;
  ((spec.template as JsonObject).spec as JsonObject).containers = [
    {
      name: "nginx",
      image: "nginx:1.26",
      env: [{ name: "B", value: "3" }],
      ports: [{ containerPort: 80, protocol: "TCP" }],
      imagePullPolicy: "IfNotPresent",
    },
    { image: "busybox", name: "sidecar" },
  ];
  const out = patched(deployment(), body, "Deployment");
  assert.equal(out, expected);
  assert.not.match(JSON.stringify(out), /"\$/);
});

test("strategicMergePatch() applies kubectl set image to one container and keeps the others", () => {
  const live = deployment();
  const containers = ((live.spec as JsonObject).template as { spec: { containers: JsonObject[] } }).spec.containers;
  containers.push({ name: "sidecar", image: "busybox" });
  const out = patched(live, { spec: { template: { spec: { containers: [{ name: "nginx", image: "nginx:1.27" }] } } } }, "Deployment");
  const got = ((out.spec as JsonObject).template as { spec: { containers: JsonObject[] } }).spec.containers;
  assert.equal(got.map((c) => [c.name, c.image]), [["nginx", "nginx:1.27"], ["sidecar", "busybox"]]);
  assert.equal(got[0]!.env, [{ name: "A", value: "1" }, { name: "B", value: "2" }]);
});

test("strategicMergePatch() applies kubectl rollout restart as a template annotation", () => {
  const patch = { spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": "2025-01-01T00:00:00Z" } } } } };
  const out = patched(deployment(), patch, "Deployment");
  const template = (out.spec as JsonObject).template as JsonObject;
  assert.equal(template.metadata, { labels: { app: "web" }, annotations: { "kubectl.kubernetes.io/restartedAt": "2025-01-01T00:00:00Z" } });
  assert.equal(template.spec, ((deployment().spec as JsonObject).template as JsonObject).spec);
});

function node(): JsonObject {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: "edge-node-1", labels: { "node-role.kubernetes.io/edge": "" } },
    spec: { podCIDRs: ["10.0.1.0/24"], taints: [{ key: "a", value: "1", effect: "NoSchedule" }] },
    status: {
      addresses: [{ type: "InternalIP", address: "192.168.1.5" }, { type: "Hostname", address: "edge-node-1" }],
      conditions: [{ type: "Ready", status: "True", reason: "EdgeReady" }, { type: "MemoryPressure", status: "False" }],
    },
  };
}

test("strategicMergePatch() applies kubectl cordon and uncordon", () => {
  const cordoned = patched(node(), { spec: { unschedulable: true } }, "Node");
  assert.equal(cordoned.spec, { ...(node().spec as JsonObject), unschedulable: true });
  const uncordoned = patched(cordoned, { spec: { unschedulable: null } }, "Node");
  assert.equal(uncordoned, node());
});

test("strategicMergePatch() applies kubectl taint by replacing the taints list", () => {
  const added = patched(node(), { spec: { taints: [{ effect: "NoExecute", key: "k", value: "v" }, { effect: "NoSchedule", key: "a", value: "1" }] } }, "Node");
  assert.equal((added.spec as JsonObject).taints, [{ effect: "NoExecute", key: "k", value: "v" }, { effect: "NoSchedule", key: "a", value: "1" }]);
  const removed = patched(added, { spec: { taints: [{ effect: "NoExecute", key: "k", value: "v" }] } }, "Node");
  assert.equal((removed.spec as JsonObject).taints, [{ effect: "NoExecute", key: "k", value: "v" }]);
  const none = patched(removed, { spec: { taints: null } }, "Node");
  assert.equal(none.spec, { podCIDRs: ["10.0.1.0/24"] });
});

type Case = { name: string; kind: string; live: JsonObject; patch: JsonValue; want: JsonObject };

const CASES: Case[] = [
  {
    name: "merges nested maps and deletes keys set to null",
    kind: "ConfigMap",
    live: { metadata: { name: "c", labels: { a: "1", b: "2" } }, data: { x: "1", y: "2" } },
    patch: { metadata: { labels: { a: null, c: "3" } }, data: { y: null, z: "3" }, binaryData: { q: null } },
    want: { metadata: { name: "c", labels: { b: "2", c: "3" } }, data: { x: "1", z: "3" }, binaryData: {} },
  },
  {
    name: "replaces a map literally with $patch: replace",
    kind: "Deployment",
    live: { spec: { template: { metadata: { labels: { app: "web", tier: "fe" } } } } },
    patch: { spec: { template: { metadata: { labels: { $patch: "replace", app: "api" } } } } },
    want: { spec: { template: { metadata: { labels: { app: "api" } } } } },
  },
  {
    name: "deletes a map with $patch: delete",
    kind: "Deployment",
    live: { spec: { replicas: 1, strategy: { type: "Recreate" } } },
    patch: { spec: { strategy: { $patch: "delete" } } },
    want: { spec: { replicas: 1 } },
  },
  {
    name: "treats $patch: merge as the default",
    kind: "ConfigMap",
    live: { data: { a: "1" } },
    patch: { data: { $patch: "merge", b: "2" } },
    want: { data: { a: "1", b: "2" } },
  },
  {
    name: "replaces a keyed list with a $patch: replace item",
    kind: "Pod",
    live: { spec: { containers: [{ name: "a", image: "x" }, { name: "b", image: "y" }] } },
    patch: { spec: { containers: [{ name: "c", image: "z" }, { $patch: "replace" }] } },
    want: { spec: { containers: [{ name: "c", image: "z" }] } },
  },
  {
    name: "merges container ports by containerPort (kubectl patch)",
    kind: "Deployment",
    live: { spec: { template: { spec: { containers: [{ name: "n", ports: [{ containerPort: 80, protocol: "TCP" }] }] } } } },
    patch: { spec: { template: { spec: { containers: [{ name: "n", ports: [{ containerPort: 8080 }, { containerPort: 80, name: "http" }] }] } } } },
    want: { spec: { template: { spec: { containers: [{ name: "n", ports: [{ containerPort: 80, protocol: "TCP", name: "http" }, { containerPort: 8080 }] }] } } } },
  },
  {
    name: "merges volumeMounts by mountPath and volumeDevices by devicePath",
    kind: "Pod",
    live: { spec: { initContainers: [{ name: "i", volumeMounts: [{ mountPath: "/a", name: "v1" }], volumeDevices: [{ devicePath: "/dev/x", name: "d" }] }] } },
    patch: { spec: { initContainers: [{ name: "i", volumeMounts: [{ mountPath: "/a", readOnly: true }, { mountPath: "/b", name: "v2" }], volumeDevices: [{ devicePath: "/dev/y", name: "e" }] }] } },
    want: { spec: { initContainers: [{ name: "i", volumeMounts: [{ mountPath: "/a", name: "v1", readOnly: true }, { mountPath: "/b", name: "v2" }], volumeDevices: [{ devicePath: "/dev/x", name: "d" }, { devicePath: "/dev/y", name: "e" }] }] } },
  },
  {
    name: "replaces lists without a strategy (command, args, tolerations, envFrom)",
    kind: "Pod",
    live: { spec: { tolerations: [{ key: "a" }], containers: [{ name: "c", command: ["sh"], args: ["-c", "x"], envFrom: [{ configMapRef: { name: "a" } }] }] } },
    patch: { spec: { tolerations: [{ key: "b" }], containers: [{ name: "c", command: ["bash"], args: [], envFrom: [{ secretRef: { name: "s" } }] }] } },
    want: { spec: { tolerations: [{ key: "b" }], containers: [{ name: "c", command: ["bash"], args: [], envFrom: [{ secretRef: { name: "s" } }] }] } },
  },
  {
    name: "merges pod-level keyed lists (volumes, imagePullSecrets, hostAliases, topologySpreadConstraints, schedulingGates)",
    kind: "Pod",
    live: {
      spec: {
        volumes: [{ name: "v", emptyDir: {} }],
        imagePullSecrets: [{ name: "r1" }],
        hostAliases: [{ ip: "1.1.1.1", hostnames: ["a"] }],
        topologySpreadConstraints: [{ topologyKey: "zone", maxSkew: 1 }],
        schedulingGates: [{ name: "g1" }, { name: "g2" }],
      },
    },
    patch: {
      spec: {
        volumes: [{ name: "w", emptyDir: {} }],
        imagePullSecrets: [{ name: "r2" }],
        hostAliases: [{ ip: "1.1.1.1", hostnames: ["b"] }],
        topologySpreadConstraints: [{ topologyKey: "zone", maxSkew: 2 }],
        schedulingGates: [{ $patch: "delete", name: "g1" }],
      },
    },
    want: {
      spec: {
        volumes: [{ name: "v", emptyDir: {} }, { name: "w", emptyDir: {} }],
        imagePullSecrets: [{ name: "r1" }, { name: "r2" }],
        hostAliases: [{ ip: "1.1.1.1", hostnames: ["b"] }],
        topologySpreadConstraints: [{ topologyKey: "zone", maxSkew: 2 }],
        schedulingGates: [{ name: "g2" }],
      },
    },
  },
  {
    name: "keeps only $retainKeys fields of a volume (kubectl apply switching emptyDir to configMap)",
    kind: "Deployment",
    live: { spec: { template: { spec: { volumes: [{ name: "data", emptyDir: {} }, { name: "other", emptyDir: {} }] } } } },
    patch: { spec: { template: { spec: { volumes: [{ $retainKeys: ["configMap", "name"], name: "data", configMap: { name: "cfg" } }] } } } },
    want: { spec: { template: { spec: { volumes: [{ name: "data", configMap: { name: "cfg" } }, { name: "other", emptyDir: {} }] } } } },
  },
  {
    name: "keeps only $retainKeys fields of the Deployment strategy (RollingUpdate to Recreate)",
    kind: "Deployment",
    live: { spec: { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } } } },
    patch: { spec: { strategy: { $retainKeys: ["type"], type: "Recreate", rollingUpdate: null } } },
    want: { spec: { strategy: { type: "Recreate" } } },
  },
  {
    name: "takes the union of finalizers and drops $deleteFromPrimitiveList values",
    kind: "ConfigMap",
    live: { metadata: { finalizers: ["a", "b", "c"] } },
    patch: { metadata: { finalizers: ["d", "a"], "$deleteFromPrimitiveList/finalizers": ["b"] } },
    want: { metadata: { finalizers: ["a", "c", "d"] } },
  },
  {
    name: "creates a primitive set from nothing without duplicates",
    kind: "Secret",
    live: { metadata: { name: "s" } },
    patch: { metadata: { finalizers: ["x", "x", "y"] } },
    want: { metadata: { name: "s", finalizers: ["x", "y"] } },
  },
  {
    name: "merges ownerReferences by uid",
    kind: "ReplicaSet",
    live: { metadata: { ownerReferences: [{ uid: "u1", name: "d1", controller: true }] } },
    patch: { metadata: { ownerReferences: [{ uid: "u1", blockOwnerDeletion: true }, { uid: "u2", name: "d2" }] } },
    want: { metadata: { ownerReferences: [{ uid: "u1", name: "d1", controller: true, blockOwnerDeletion: true }, { uid: "u2", name: "d2" }] } },
  },
  {
    name: "merges node status conditions and addresses by type, and podCIDRs as a set",
    kind: "Node",
    live: node(),
    patch: {
      spec: { podCIDRs: ["10.0.1.0/24", "fd00::/64"] },
      status: { conditions: [{ type: "Ready", status: "False", reason: "NodeStatusUnknown" }], addresses: [{ type: "InternalIP", address: "192.168.1.9" }] },
    },
    want: {
      ...node(),
      spec: { podCIDRs: ["10.0.1.0/24", "fd00::/64"], taints: [{ key: "a", value: "1", effect: "NoSchedule" }] },
      status: {
        addresses: [{ type: "InternalIP", address: "192.168.1.9" }, { type: "Hostname", address: "edge-node-1" }],
        conditions: [{ type: "Ready", status: "False", reason: "NodeStatusUnknown" }, { type: "MemoryPressure", status: "False" }],
      },
    },
  },
  {
    name: "merges pod status conditions by type and podIPs/hostIPs by ip, replacing containerStatuses",
    kind: "Pod",
    live: { status: { phase: "Pending", conditions: [{ type: "PodScheduled", status: "True" }], podIPs: [{ ip: "10.0.0.1" }], containerStatuses: [{ name: "a", ready: false }] } },
    patch: { status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }], podIPs: [{ ip: "fd00::1" }], hostIPs: [{ ip: "192.168.1.5" }], containerStatuses: [{ name: "a", ready: true }] } },
    want: {
      status: {
        phase: "Running",
        conditions: [{ type: "PodScheduled", status: "True" }, { type: "Ready", status: "True" }],
        podIPs: [{ ip: "10.0.0.1" }, { ip: "fd00::1" }],
        hostIPs: [{ ip: "192.168.1.5" }],
        containerStatuses: [{ name: "a", ready: true }],
      },
    },
  },
  {
    name: "merges Service ports by port and ServiceAccount secrets by name",
    kind: "Service",
    live: { spec: { ports: [{ port: 80, targetPort: 8080, protocol: "TCP" }] } },
    patch: { spec: { ports: [{ port: 80, targetPort: 9090 }, { port: 443 }] } },
    want: { spec: { ports: [{ port: 80, targetPort: 9090, protocol: "TCP" }, { port: 443 }] } },
  },
  {
    name: "merges ServiceAccount secrets by name",
    kind: "ServiceAccount",
    live: { secrets: [{ name: "t1" }] },
    patch: { secrets: [{ name: "t2" }] },
    want: { secrets: [{ name: "t1" }, { name: "t2" }] },
  },
  {
    name: "reorders a stored list by $setElementOrder when the patch leaves the list out",
    kind: "Pod",
    live: { spec: { containers: [{ name: "a" }, { name: "b" }] } },
    patch: { spec: { "$setElementOrder/containers": [{ name: "b" }, { name: "a" }] } },
    want: { spec: { containers: [{ name: "b" }, { name: "a" }] } },
  },
  {
    name: "places items $setElementOrder does not name before the first named item that followed them",
    kind: "Pod",
    live: { spec: { containers: [{ name: "a" }, { name: "b" }, { name: "c" }] } },
    patch: { spec: { "$setElementOrder/containers": [{ name: "a" }, { name: "d" }, { name: "c" }], containers: [{ name: "d" }] } },
    want: { spec: { containers: [{ name: "a" }, { name: "b" }, { name: "d" }, { name: "c" }] } },
  },
  {
    name: "orders a primitive set by $setElementOrder",
    kind: "Node",
    live: { spec: { podCIDRs: ["a", "b"] } },
    patch: { spec: { "$setElementOrder/podCIDRs": ["c", "b", "a"], podCIDRs: ["c"] } },
    want: { spec: { podCIDRs: ["c", "b", "a"] } },
  },
  {
    name: "cleans directives and nulls out of newly added values",
    kind: "Deployment",
    live: { spec: {} },
    patch: { spec: { template: { metadata: { labels: { a: "1", b: null } }, spec: { "$setElementOrder/containers": [{ name: "x" }], containers: [{ name: "x", env: [{ name: "E", value: "v" }, { $patch: "delete", name: "G" }] }] } } } },
    want: { spec: { template: { metadata: { labels: { a: "1" } }, spec: { containers: [{ name: "x", env: [{ name: "E", value: "v" }] }] } } } },
  },
  {
    name: "replaces a value of a different type",
    kind: "ConfigMap",
    live: { data: ["not", "a", "map"], other: { a: 1 } },
    patch: { data: { k: "v" }, other: "text" },
    want: { data: { k: "v" }, other: "text" },
  },
  {
    name: "replaces the whole object with a root $patch: replace",
    kind: "ConfigMap",
    live: { metadata: { name: "c" }, data: { a: "1" } },
    patch: { $patch: "replace", metadata: { name: "c" }, data: { b: "2" } },
    want: { metadata: { name: "c" }, data: { b: "2" } },
  },
  {
    name: "merges status conditions of Deployments by type",
    kind: "Deployment",
    live: deployment(),
    patch: { status: { conditions: [{ type: "Progressing", status: "True" }] } },
    want: { ...deployment(), status: { replicas: 2, conditions: [{ type: "Available", status: "True" }, { type: "Progressing", status: "True" }] } },
  },
];

for (const c of CASES) {
  test(`strategicMergePatch() ${c.name}`, () => {
    const out = patched(c.live, c.patch, c.kind);
    assert.equal(out, c.want);
    assert.not.match(JSON.stringify(out), /"\$/);
  });
}

const TEMPLATES: [string, (containers: JsonValue) => JsonObject][] = [
  ["Pod", (c) => ({ spec: { containers: c } })],
  ["PodTemplate", (c) => ({ template: { spec: { containers: c } } })],
  ["ReplicaSet", (c) => ({ spec: { template: { spec: { containers: c } } } })],
  ["ReplicationController", (c) => ({ spec: { template: { spec: { containers: c } } } })],
  ["StatefulSet", (c) => ({ spec: { template: { spec: { containers: c } } } })],
  ["DaemonSet", (c) => ({ spec: { template: { spec: { containers: c } } } })],
  ["Job", (c) => ({ spec: { template: { spec: { containers: c } } } })],
  ["CronJob", (c) => ({ spec: { jobTemplate: { spec: { template: { spec: { containers: c } } } } } })],
];

for (const [kind, wrap] of TEMPLATES) {
  test(`strategicMergePatch() merges containers and env by name in a ${kind}'s pod spec`, () => {
    const live = wrap([{ name: "a", image: "x", env: [{ name: "E", value: "1" }] }, { name: "b", image: "y" }]);
    const patch = wrap([{ name: "a", image: "x2", env: [{ name: "F", value: "2" }] }]);
    const out = patched(live, patch, kind);
    assert.equal(out, wrap([{ name: "a", image: "x2", env: [{ name: "E", value: "1" }, { name: "F", value: "2" }] }, { name: "b", image: "y" }]));
  });
}

test("strategicMergePatch() falls back to JSON merge patch for custom resources", () => {
  assert.not.ok(supportsStrategicMerge("Device"));
  assert.ok(supportsStrategicMerge("Deployment"));
  assert.ok(supportsStrategicMerge("ConfigMap"));
  const live = { spec: { containers: [{ name: "a" }, { name: "b" }], twins: { x: 1, y: 2 } } };
  const out = patched(live, { spec: { containers: [{ name: "c" }], twins: { y: null } } }, "Device");
  assert.equal(out, { spec: { containers: [{ name: "c" }], twins: { x: 1 } } });
});

const INVALID: [string, JsonObject, JsonValue, string, RegExp][] = [
  ["a body that is not an object", {}, [1], "Pod", /the body must be a JSON object/],
  ["an unknown $patch value", {}, { spec: { $patch: "merge-all" } }, "Pod", /at "spec": unknown "\$patch" value "merge-all"/],
  ["an unknown directive", {}, { spec: { $foo: 1 } }, "Pod", /unknown directive "\$foo"/],
  ["a keyed item without its key", {}, { spec: { containers: [{ image: "x" }] } }, "Pod", /at "spec.containers": an item lacks the merge key "name"/],
  ["a delete item without its key", {}, { spec: { containers: [{ $patch: "delete" }] } }, "Pod", /"\$patch: delete" item lacks the merge key "name"/],
  ["an object in a primitive set", {}, { metadata: { finalizers: [{ a: 1 }] } }, "Pod", /list of primitives cannot hold objects/],
  ["a field missing from $retainKeys", {}, { spec: { strategy: { $retainKeys: ["type"], rollingUpdate: {} } } }, "Deployment", /field "rollingUpdate" is not listed in "\$retainKeys"/],
  ["$retainKeys that is not a list", {}, { spec: { strategy: { $retainKeys: "type" } } }, "Deployment", /"\$retainKeys" must be a list/],
  ["a $setElementOrder that is not a list", {}, { spec: { "$setElementOrder/containers": {} } }, "Pod", /"\$setElementOrder\/containers" must be a list/],
  ["a root $patch: delete", { a: 1 } as JsonObject, { $patch: "delete" }, "ConfigMap", /would delete the object/],
];

for (const [name, live, patch, kind, message] of INVALID) {
  test(`strategicMergePatch() throws InvalidPatch (400) for ${name}`, () => {
    assert.throws(
      () => strategicMergePatch(live, patch, kind),
      (err: Error) => err instanceof KubeError && err.code === "InvalidPatch" && err.status === 400 && message.test(err.message),
    );
  });
}

test.run();
