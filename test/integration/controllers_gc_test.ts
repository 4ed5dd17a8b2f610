import { randomUUID } from "node:crypto";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { startTestCluster, type TestCluster } from "./controllers_harness.ts";
import { waitUntil } from "../support/process.ts";

let c: TestCluster;

const deployment = (name: string, namespace = "default", replicas = 3) => JSON.stringify({
  apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "c", image: "busybox" }] } } },
});

async function names(kind: string, namespace: string, selector?: string): Promise<string[]> {
  const args = ["get", kind, "-n", namespace, "-o", "name", ...(selector ? ["-l", selector] : [])];
  return (await c.kubectlOk(args)).split("\n").filter(Boolean);
}

test.before(async () => {
  c = await startTestCluster({ kubeletStopDelayMs: 1000 });
  for (const name of ["g1", "g2"]) await c.addNode({ name });
});

test.after(async () => {
  await c?.close();
});

test("deleting a namespace with a Deployment in it leaves nothing behind", async () => {
  await c.kubectlOk(["create", "namespace", "shop"]);
  await c.kubectlOk(["apply", "-f", "-"], deployment("cart", "shop"));
  await c.kubectlOk(["rollout", "status", "deployment/cart", "-n", "shop", "--timeout=30s"]);
  assert.is((await names("pods", "shop")).length, 3);
  await c.kubectlOk(["delete", "namespace", "shop", "--wait=false"]);
  const phase = await c.core.readNamespace({ name: "shop" }).then((ns) => ns.status?.phase, () => "gone");
  assert.ok(phase === "Terminating" || phase === "gone", `phase ${phase}`);
  await waitUntil(async () => (await c.kubectl(["get", "namespace", "shop"])).code !== 0, 30_000, "namespace shop gone");
  for (const kind of ["deployments", "replicasets", "pods", "events"]) {
    const items = (await c.server.request("GET", kind === "deployments" || kind === "replicasets" ? `/apis/apps/v1/namespaces/shop/${kind}` : `/api/v1/namespaces/shop/${kind}`)).json().items;
    assert.equal(items, [], `${kind} left in shop`);
  }
});

test("a ReplicaSet adopts a matching orphan pod and creates only the missing ones", async () => {
  await c.kubectlOk(["apply", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "stray", labels: { app: "adopt" } }, spec: { containers: [{ name: "c", image: "busybox" }] } }));
  await c.kubectlOk(["apply", "-f", "-"], JSON.stringify({
    apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "adopter" },
    spec: { replicas: 2, selector: { matchLabels: { app: "adopt" } }, template: { metadata: { labels: { app: "adopt" } }, spec: { containers: [{ name: "c", image: "busybox" }] } } },
  }));
  const rs = await c.kubectlOk(["get", "rs", "adopter", "-o", "jsonpath={.metadata.uid}"]);
  const pods = await waitUntil(async () => {
    const ps = await c.pods("default", "app=adopt");
    return ps.length === 2 && ps.every((p) => p.metadata?.ownerReferences?.[0]?.uid === rs) ? ps : undefined;
  }, 20_000, "2 pods owned by adopter");
  assert.ok(pods.some((p) => p.metadata?.name === "stray"), "the stray pod was adopted");
  // a window, not an ordering: it asserts that no third pod appears
  await new Promise((r) => setTimeout(r, 500));
  assert.is((await c.pods("default", "app=adopt")).length, 2, "no third pod");
  await c.kubectlOk(["delete", "rs", "adopter"]);
});

test("a pod whose owner no longer exists is deleted", async () => {
  await c.kubectlOk(["apply", "-f", "-"], JSON.stringify({
    apiVersion: "v1", kind: "Pod",
    metadata: { name: "ghost-child", labels: { app: "ghost" }, ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "ghost", uid: randomUUID(), controller: true }] },
    spec: { containers: [{ name: "c", image: "busybox" }] },
  }));
  await waitUntil(async () => (await names("pods", "default", "app=ghost")).length === 0, 20_000, "ghost-child deleted");
});

test("an owner deleted in the foreground waits with its finalizer until its dependents are gone", async () => {
  const d = JSON.parse(deployment("fg", "default", 2));
  d.metadata.finalizers = ["foregroundDeletion"];
  await c.kubectlOk(["apply", "-f", "-"], JSON.stringify(d));
  await c.kubectlOk(["rollout", "status", "deployment/fg", "--timeout=30s"]);
  await c.kubectlOk(["delete", "deployment", "fg", "--wait=false"]);
  let sawWaiting = false;
  await waitUntil(async () => {
    // dependents first, then the owner: an owner still there after its pods were seen was waiting for them,
    // however slowly each read runs on a loaded machine
    const pods = await c.pods("default", "app=fg");
    const owner = await c.kubectl(["get", "deployment", "fg", "-o", "json"]);
    if (owner.code !== 0) {
      const left = [...(await c.pods("default", "app=fg")).map((p) => p.metadata?.name), ...await names("replicasets", "default", "app=fg")];
      assert.equal(left, [], "dependents were gone before the owner");
      return true;
    }
    const meta = JSON.parse(owner.stdout).metadata;
    if (meta.deletionTimestamp && meta.finalizers?.includes("foregroundDeletion") && pods.length) sawWaiting = true;
    return false;
  }, 30_000, "fg gone", { intervalMs: 50 });
  assert.ok(sawWaiting, "the owner was seen waiting for its pods");
});

test("kubectl delete --cascade=foreground returns once the dependents are gone", async () => {
  await c.kubectlOk(["apply", "-f", "-"], deployment("fg2", "default", 2));
  await c.kubectlOk(["rollout", "status", "deployment/fg2", "--timeout=30s"]);
  await c.kubectlOk(["delete", "deployment", "fg2", "--cascade=foreground"]);
  assert.equal([...await names("replicasets", "default", "app=fg2"), ...await names("pods", "default", "app=fg2")], []);
});

test("orphan deletion keeps the ReplicaSet and its pods without the owner reference", async () => {
  await c.kubectlOk(["apply", "-f", "-"], deployment("orph", "default", 2));
  await c.kubectlOk(["rollout", "status", "deployment/orph", "--timeout=30s"]);
  await c.kubectlOk(["delete", "deployment", "orph", "--cascade=orphan"]);
  const rs = await waitUntil(async () => {
    const items = JSON.parse(await c.kubectlOk(["get", "rs", "-l", "app=orph", "-o", "json"])).items;
    return items.length === 1 && items[0].metadata.ownerReferences === undefined ? items : undefined;
  }, 20_000, "the orph ReplicaSet without its owner reference");
  // a window, not an ordering: it asserts that the collector deletes nothing once the owner is gone
  await new Promise((r) => setTimeout(r, 500));
  assert.is(rs.length, 1);
  assert.equal(await names("replicasets", "default", "app=orph"), [`replicaset.apps/${rs[0].metadata.name}`], "the ReplicaSet is kept");
  assert.is((await names("pods", "default", "app=orph")).length, 2);
});

test.run();
