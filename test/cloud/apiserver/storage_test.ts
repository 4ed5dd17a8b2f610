import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ObjectStorage } from "../../../lib/cloud/apiserver/storage.ts";
import type { ChangeEvent } from "../../../lib/cloud/apiserver/types.ts";
import { WatchHub } from "../../../lib/cloud/apiserver/watch_hub.ts";
import { silentLogger } from "../../../lib/log/index.ts";
import { openMemoryStore, openStore } from "../../../lib/store/index.ts";

function cm(name: string, namespace = "default") {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace }, data: { k: name } };
}

test("ObjectStorage.write() bumps one global resourceVersion and keeps objects listed by namespace and name", async () => {
  const storage = await ObjectStorage.open(await openMemoryStore(), silentLogger);
  const a = await storage.write("configmaps", cm("b", "ns2"), undefined);
  const b = await storage.write("configmaps", cm("a", "ns2"), undefined);
  const c = await storage.write("configmaps", cm("z", "ns1"), undefined);
  assert.equal([a.rv, b.rv, c.rv], [1, 2, 3]);
  assert.is(a.object.metadata?.resourceVersion, "1");
  assert.equal(storage.list("configmaps").map((s) => s.object.metadata?.name), ["z", "a", "b"]);
  assert.equal(storage.list("configmaps", "ns2").map((s) => s.object.metadata?.name), ["a", "b"]);
  assert.is(storage.resourceVersion, 3);
});

test("ObjectStorage.write() refuses a write based on a stale resourceVersion with 409", async () => {
  const storage = await ObjectStorage.open(await openMemoryStore(), silentLogger);
  const first = await storage.write("configmaps", cm("x"), undefined);
  await storage.write("configmaps", cm("x"), first.rv);
  try {
    await storage.write("configmaps", cm("x"), first.rv);
    assert.unreachable("stale write accepted");
  } catch (err) {
    assert.is((err as { code?: number }).code, 409);
  }
});

test("ObjectStorage publishes events in resourceVersion order with the previous state", async () => {
  const storage = await ObjectStorage.open(await openMemoryStore(), silentLogger);
  const hub = new WatchHub(0);
  storage.attach(hub);
  const events: ChangeEvent[] = [];
  hub.subscribe(0, { accepts: () => true, send: (e) => (events.push(e), true) });
  const writes = [storage.write("configmaps", cm("a"), undefined), storage.write("configmaps", cm("b"), undefined)];
  const [a] = await Promise.all(writes);
  const updated = await storage.write("configmaps", { ...cm("a"), data: { k: "changed" } }, a!.rv);
  await storage.remove("configmaps", "default", "a", updated.rv);
  assert.equal(events.map((e) => `${e.type} ${e.object.metadata?.name} ${e.rv}`), ["ADDED a 1", "ADDED b 2", "MODIFIED a 3", "DELETED a 4"]);
  assert.equal(events[2]!.previous?.data, { k: "a" });
  assert.is(events[3]!.object.metadata?.resourceVersion, "4");
  assert.is(storage.get("configmaps", "default", "a"), undefined);
});

test("ObjectStorage.dependentsOf() follows ownerReferences as objects are written and removed", async () => {
  const storage = await ObjectStorage.open(await openMemoryStore(), silentLogger);
  const owned = (name: string, uids: string[]) => ({ ...cm(name), metadata: { name, namespace: "default", ownerReferences: uids.map((uid) => ({ uid, name: "o" })) } });
  const a = await storage.write("configmaps", owned("a", ["u1", "u2"]), undefined);
  await storage.write("configmaps", owned("b", ["u1"]), undefined);
  assert.equal(storage.dependentsOf("u1").map(([, , n]) => n).sort(), ["a", "b"]);
  const a2 = await storage.write("configmaps", owned("a", ["u2"]), a.rv);
  assert.equal(storage.dependentsOf("u1").map(([, , n]) => n), ["b"]);
  await storage.remove("configmaps", "default", "a", a2.rv);
  assert.equal(storage.dependentsOf("u2"), []);
});

test("ObjectStorage.open() restores objects and the resourceVersion after a restart", async () => {
  const dir = mkdtempSync(join(tmpdir(), "apiserver-storage-"));
  try {
    const path = join(dir, "cloud.db");
    let store = await openStore(path, { fsync: false, log: silentLogger });
    let storage = await ObjectStorage.open(store, silentLogger);
    const x = await storage.write("configmaps", cm("x"), undefined);
    await storage.write("pods", { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" } }, undefined);
    await storage.remove("configmaps", "default", "x", x.rv);
    await store.close();
    store = await openStore(path, { fsync: false, log: silentLogger });
    storage = await ObjectStorage.open(store, silentLogger);
    assert.is(storage.resourceVersion, 3);
    assert.is(storage.get("configmaps", "default", "x"), undefined);
    assert.is(storage.get("pods", "default", "p")?.rv, 2);
    const next = await storage.write("configmaps", cm("y"), undefined);
    assert.is(next.rv, 4);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
