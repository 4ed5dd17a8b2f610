import { test } from "uvu";
import * as assert from "uvu/assert";
import type { JsonObject, KubeObject } from "../../../lib/kube/index.ts";
import { waitUntil } from "../../support/process.ts";
import { fixture } from "./_fixture.ts";

const pod = (name: string, spec: JsonObject = {}, meta: JsonObject = {}): KubeObject => ({
  metadata: { name, ...meta }, spec: { containers: [{ name: "c", image: "x" }], ...spec },
});

test("Deleter.delete() removes an unbound pod at once", async () => {
  const f = await fixture();
  const pods = f.info("", "pods");
  await f.service.create(pods, "default", pod("p"));
  const result = await f.deleter.delete(pods, "default", "p");
  assert.is(result.removed, true);
  assert.is(f.storage.get("pods", "default", "p"), undefined);
});

test("Deleter.delete() keeps a bound pod terminating until its node confirms with grace 0", async () => {
  const f = await fixture();
  const pods = f.info("", "pods");
  await f.service.create(pods, "default", pod("p", { nodeName: "edge-1" }));
  const first = await f.deleter.delete(pods, "default", "p");
  assert.is(first.removed, false);
  assert.ok(first.stored.object.metadata?.deletionTimestamp);
  assert.is(first.stored.object.metadata?.deletionGracePeriodSeconds, 30);
  const again = await f.deleter.delete(pods, "default", "p");
  assert.is(again.stored.rv, first.stored.rv);
  const confirmed = await f.deleter.delete(pods, "default", "p", { gracePeriodSeconds: 0 });
  assert.is(confirmed.removed, true);
  assert.is(f.storage.get("pods", "default", "p"), undefined);
  f.deleter.close();
});

test("Deleter force-deletes a terminating pod whose node never confirms", async () => {
  const f = await fixture({ podDeletionTimeoutMs: 50 });
  const pods = f.info("", "pods");
  await f.service.create(pods, "default", pod("p", { nodeName: "edge-1", terminationGracePeriodSeconds: 0 }));
  await f.deleter.delete(pods, "default", "p", { gracePeriodSeconds: 1 });
  assert.ok(f.storage.get("pods", "default", "p"));
  await waitUntil(() => f.storage.get("pods", "default", "p") === undefined, 5000, "pod p deleted");
  f.deleter.close();
});

test("Deleter waits for finalizers, and the update that clears the last one completes the deletion", async () => {
  const f = await fixture();
  const cms = f.info("", "configmaps");
  await f.service.create(cms, "default", { metadata: { name: "c", finalizers: ["example.com/hold"] } });
  const marked = await f.deleter.delete(cms, "default", "c");
  assert.is(marked.removed, false);
  assert.ok(marked.stored.object.metadata?.deletionTimestamp);
  await f.service.patch(cms, "default", "c", "application/merge-patch+json", { metadata: { finalizers: null } });
  assert.is(f.storage.get("configmaps", "default", "c"), undefined);
});

test("Deleter deletes dependents of a removed owner, or orphans them", async () => {
  const f = await fixture();
  const rs = f.info("apps", "replicasets"), pods = f.info("", "pods");
  const spec = { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "x" }] } } };
  const owner = await f.service.create(rs, "default", { metadata: { name: "rs1" }, spec: structuredClone(spec) });
  const ref = { apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs1", uid: owner.object.metadata!.uid!, controller: true };
  await f.service.create(pods, "default", pod("p1", {}, { ownerReferences: [ref] }));
  await f.service.create(pods, "default", pod("p2", {}, { ownerReferences: [ref] }));
  await f.deleter.delete(rs, "default", "rs1", { propagationPolicy: "Background" });
  await waitUntil(() => f.storage.list("pods", "default").length === 0, 5000, "no pods left in default");

  const owner2 = await f.service.create(rs, "default", { metadata: { name: "rs2" }, spec: structuredClone(spec) });
  const ref2 = { apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs2", uid: owner2.object.metadata!.uid!, controller: true };
  await f.service.create(pods, "default", pod("p3", {}, { ownerReferences: [ref2] }));
  await f.deleter.delete(rs, "default", "rs2", { propagationPolicy: "Orphan" });
  await waitUntil(() => f.storage.get("pods", "default", "p3")?.object.metadata?.ownerReferences === undefined, 5000, "p3 without ownerReferences");
});

test("Deleter deletes a namespace's content, then the namespace, and protects system namespaces", async () => {
  const f = await fixture();
  const nss = f.info("", "namespaces");
  await f.service.create(f.info("", "configmaps"), "other", { metadata: { name: "c" } });
  await f.service.create(f.info("", "pods"), "other", pod("p"));
  const marked = await f.deleter.delete(nss, "", "other");
  assert.is((marked.stored.object.status as JsonObject).phase, "Terminating");
  await waitUntil(() => f.storage.get("namespaces", "", "other") === undefined, 5000, "namespace other deleted");
  assert.equal(f.storage.resourcesIn("other"), []);
  try {
    await f.deleter.delete(nss, "", "default");
    assert.unreachable("default namespace deleted");
  } catch (err) {
    assert.is((err as { code: number }).code, 403);
  }
});

test.run();
