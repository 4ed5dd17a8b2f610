import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions, type V1ConfigMap } from "@kubernetes/client-node";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Informer, objectKey } from "../../../lib/cloud/controllers/informer.ts";
import { silentLogger } from "../../../lib/log/index.ts";
import { startTestApiServer, type TestApiServer } from "../../support/apiserver.ts";
import { waitUntil } from "../../support/process.ts";

let server: TestApiServer;
let kc: KubeConfig;

test.before(async () => {
  server = await startTestApiServer();
  kc = new KubeConfig();
  kc.loadFromFile(server.env.kubeconfig);
});

test.after(async () => {
  await server?.close();
});

test("Informer lists and watches, gives update handlers the previous object and stamps kind", async () => {
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "before" }, data: { v: "1" } } });
  const inf = new Informer<V1ConfigMap>(kc, { path: "/api/v1/configmaps", apiVersion: "v1", kind: "ConfigMap", list: () => core.listConfigMapForAllNamespaces() }, silentLogger);
  const seen: string[] = [];
  inf.subscribe({
    add: (o) => seen.push(`add ${o.metadata?.name} ${o.kind}`),
    update: (o, old) => seen.push(`update ${o.metadata?.name} ${old.data?.v}->${o.data?.v}`),
    delete: (o) => seen.push(`delete ${o.metadata?.name}`),
  });
  await inf.start();
  const listed = inf.get("before", "default")!;
  assert.is(listed.kind, "ConfigMap");
  assert.is(typeof listed.metadata?.creationTimestamp, "string", "list items are plain JSON like watch objects");
  await core.patchNamespacedConfigMap({ name: "before", namespace: "default", body: { data: { v: "2" } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
  await core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "after" } } });
  await core.deleteNamespacedConfigMap({ name: "after", namespace: "default" });
  await waitUntil(() => seen.includes("delete after"), 5000, "delete seen", { intervalMs: 20 });
  // every namespace also holds the API's kube-root-ca.crt, as on a real cluster
  assert.equal(seen.filter((e) => !e.includes("kube-root-ca.crt")), ["add before ConfigMap", "update before 1->2", "add after ConfigMap", "delete after"]);
  assert.is(objectKey(listed), "default/before");
  assert.is(objectKey({ metadata: { name: "node" } }), "node");
  await inf.stop();
});

test("Informer.start() fails with a clear error when the API cannot be listed", async () => {
  const core = kc.makeApiClient(CoreV1Api);
  const inf = new Informer<V1ConfigMap>(kc, {
    path: "/api/v1/configmaps", apiVersion: "v1", kind: "ConfigMap", list: () => core.listNamespacedConfigMap({ namespace: "no-such-namespace-list" }).then(() => { throw new Error("refused"); }),
  }, silentLogger);
  await inf.start().then(() => assert.unreachable("should fail"), (e: Error) => assert.match(e.message, 'Cannot list ConfigMap objects: refused'));
});

test.run();
