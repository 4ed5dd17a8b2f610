import * as k8s from "@kubernetes/client-node";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.ts";
import { waitUntil } from "../support/process.ts";

let t: TestApiServer;
let kc: k8s.KubeConfig;
const pod = (name: string, labels: Record<string, string> = {}): k8s.V1Pod => ({
  metadata: { name, labels }, spec: { containers: [{ name: "main", image: "busybox" }] },
});

test.before(async () => {
  t = await startTestApiServer({ watchHistorySize: 5, watchTimeoutMs: 1000 });
  kc = new k8s.KubeConfig();
  kc.loadFromFile(t.api.kubeconfigPath!);
});
test.after(async () => {
  await t.close();
});

test("client-node typed clients create, read, patch and delete through the kubeconfig", async () => {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const created = await core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "cfg" }, data: { a: "1" } } });
  assert.ok(created.metadata?.uid);
  const patched = await core.patchNamespacedConfigMap({ name: "cfg", namespace: "default", body: { data: { b: "2" } } }, k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch));
  assert.equal(patched.data, { a: "1", b: "2" });
  const d = await apps.createNamespacedDeployment({
    namespace: "default",
    body: { metadata: { name: "web" }, spec: { selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "nginx" }] } } } },
  });
  assert.is(d.spec?.replicas, 1);
  const status = await apps.replaceNamespacedDeploymentStatus({ name: "web", namespace: "default", body: { ...d, status: { replicas: 1, readyReplicas: 1 } } });
  assert.is(status.status?.readyReplicas, 1);
  const nodes = await core.listNode();
  assert.equal(nodes.items, []);
  const device = await custom.createNamespacedCustomObject({
    group: "devices.kubeedge.io", version: "v1alpha1", namespace: "default", plural: "devices",
    body: { apiVersion: "devices.kubeedge.io/v1alpha1", kind: "Device", metadata: { name: "sensor" }, spec: { deviceModelRef: { name: "model" } } },
  });
  assert.is(device.metadata.name, "sensor");
  const devices = await custom.listNamespacedCustomObject({ group: "devices.kubeedge.io", version: "v1alpha1", namespace: "default", plural: "devices" });
  assert.is(devices.items.length, 1);
  await core.deleteNamespacedConfigMap({ name: "cfg", namespace: "default" });
  try {
    await core.readNamespacedConfigMap({ name: "cfg", namespace: "default" });
    assert.unreachable("config map still there");
  } catch (err) {
    assert.is((err as k8s.ApiException<unknown>).code, 404);
  }
});

test("a client-node informer sees add, update and delete, and recovers from 410 after its watch ends", async () => {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  let lists = 0;
  const list = () => (lists++, core.listNamespacedPod({ namespace: "default", labelSelector: "app=inf" }));
  const informer = k8s.makeInformer(kc, "/api/v1/namespaces/default/pods", list, "app=inf");
  const seen: string[] = [];
  let errors = 0;
  informer.on("add", (o) => seen.push(`add ${o.metadata?.name}`));
  informer.on("update", (o) => seen.push(`update ${o.metadata?.name} ${o.status?.phase}`));
  informer.on("delete", (o) => seen.push(`delete ${o.metadata?.name}`));
  informer.on("error", () => errors++);
  await informer.start();
  try {
    await core.createNamespacedPod({ namespace: "default", body: pod("i1", { app: "inf" }) });
    await core.createNamespacedPod({ namespace: "default", body: pod("other") });
    await core.patchNamespacedPodStatus({ name: "i1", namespace: "default", body: { status: { phase: "Running" } } }, k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch));
    await core.deleteNamespacedPod({ name: "i1", namespace: "default" });
    await waitUntil(() => seen.length === 3, 15_000, "3 informer events");
    assert.equal(seen, ["add i1", "update i1 Running", "delete i1"]);
    // Writes elsewhere roll the 5-event history past the informer's last version; its next watch (the server ends
    // each after 1 s) gets 410 and the informer lists again.
    assert.is(lists, 1);
    for (let i = 0; i < 8; i++) await core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: `roll-${i}` } } });
    await waitUntil(() => lists === 2, 15_000, "a second list");
    await core.createNamespacedPod({ namespace: "default", body: pod("i2", { app: "inf" }) });
    await waitUntil(() => seen.includes("add i2"), 15_000, "add i2");
    assert.is(errors, 0);
  } finally {
    await informer.stop();
  }
});

test("a client-node informer restarted on error continues after an API server restart, and versions keep increasing", async () => {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const informer = k8s.makeInformer(kc, "/api/v1/namespaces/default/pods", () => core.listNamespacedPod({ namespace: "default" }));
  const added = new Set<string>();
  let stopped = false;
  informer.on("add", (o) => added.add(o.metadata!.name!));
  informer.on("error", () => {
    if (!stopped) setTimeout(() => void informer.start().catch(() => {}), 200);
  });
  await informer.start();
  try {
    const before = await core.createNamespacedPod({ namespace: "default", body: pod("r1") });
    await waitUntil(() => added.has("r1"), 15_000, "r1 added");
    await t.restart();
    const after = await core.createNamespacedPod({ namespace: "default", body: pod("r2") });
    assert.ok(Number(after.metadata!.resourceVersion) > Number(before.metadata!.resourceVersion));
    await waitUntil(() => added.has("r2"), 15_000, "r2 added");
    const list = await core.listNamespacedPod({ namespace: "default" });
    assert.ok(list.items.some((p) => p.metadata?.name === "r1"));
  } finally {
    stopped = true;
    await informer.stop();
  }
});

test.run();
