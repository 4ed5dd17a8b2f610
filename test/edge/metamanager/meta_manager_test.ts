import { test } from "uvu";
import * as assert from "uvu/assert";
import { Bus } from "../../../lib/core/index.ts";
import { MetaManager } from "../../../lib/edge/metamanager/index.ts";
import { silentLogger } from "../../../lib/log/index.ts";
import { buildResync, fromCloudResource, type Message, newMessage, replyTo } from "../../../lib/model/index.ts";
import { openMemoryStore } from "../../../lib/store/index.ts";
import type { Store } from "../../../lib/store/types.ts";
import { Recorder } from "../../fixtures/link_env.ts";
import { waitUntil } from "../../support/process.ts";

type Env = { bus: Bus; meta: MetaManager; edgehub: Recorder; edged: Recorder; store: Store };

async function env(setup?: (e: { edgehub: Recorder }) => void): Promise<Env> {
  const store = await openMemoryStore();
  const bus = new Bus({ log: silentLogger });
  const meta = new MetaManager({ store, log: silentLogger, remoteQueryTimeoutMs: 2000 });
  const edged = new Recorder("edged");
  const edgehub = new Recorder("edgehub");
  setup?.({ edgehub });
  bus.register(meta);
  bus.register(edged);
  bus.register(edgehub);
  await bus.start();
  return { bus, meta, edgehub, edged, store };
}

const cm = (name: string, rv: string, data: Record<string, string> = {}) => ({ metadata: { name, namespace: "default", resourceVersion: rv }, data });

function fromCloud(operation: string, resource: string, content: unknown, rv = ""): Message {
  return newMessage({ source: "edgecontroller", group: "resource", operation, resource, content, resourceVersion: rv });
}

const acks = (e: Env) => e.edgehub.messages.filter((m) => m.route.operation === "response" && m.content === "OK");

test("MetaManager stores a cloud object, then ACKs it with parent_msg_id, then passes it to edged", async () => {
  const e = await env();
  const m = fromCloud("insert", "default/configmap/a", cm("a", "3"), "3");
  await e.bus.send("metamanager", m);
  await waitUntil(() => e.edged.messages.length === 1, 5000, "forward to edged");
  assert.equal(e.store.get("SELECT key, type, resource_version FROM meta"), { key: "default/configmap/a", type: "configmap", resource_version: "3" });
  assert.is(acks(e)[0].header.parent_msg_id, m.header.msg_id);
  assert.is(acks(e)[0].route.resource, "default/configmap/a");
  assert.is(e.edged.messages[0], m);
  await e.bus.stop();
});

test("MetaManager drops an older version but still ACKs it, and applies a resend only once", async () => {
  const e = await env();
  await e.bus.send("metamanager", fromCloud("update", "default/configmap/a", cm("a", "10", { v: "new" }), "10"));
  await e.bus.send("metamanager", fromCloud("update", "default/configmap/a", cm("a", "9", { v: "old" }), "9"));
  await e.bus.send("metamanager", fromCloud("update", "default/configmap/a", cm("a", "10", { v: "new" }), "10"));
  await waitUntil(() => acks(e).length === 3, 5000, "three ACKs");
  assert.equal(JSON.parse(e.store.get<{ value: string }>("SELECT value FROM meta")!.value).data, { v: "new" });
  assert.equal({ stored: e.meta.counters.stored, stale: e.meta.counters.stale, duplicates: e.meta.counters.duplicates }, { stored: 1, stale: 1, duplicates: 1 });
  assert.is(e.edged.messages.length, 1);
  await e.bus.stop();
});

test("MetaManager deletes on a cloud delete and passes the last stored object to edged", async () => {
  const e = await env();
  await e.bus.send("metamanager", fromCloud("insert", "default/pod/p", cm("p", "1"), "1"));
  await e.bus.send("metamanager", newMessage({ source: "edged", group: "meta", operation: "update", resource: "default/podstatus/p", content: { UID: "u", Name: "p", Status: {} } }));
  await e.bus.send("metamanager", fromCloud("delete", "default/pod/p", { metadata: { name: "p" } }, "2"));
  await waitUntil(() => e.edged.messages.length === 2, 5000, "delete forwarded");
  assert.is(e.edged.messages[1].route.operation, "delete");
  assert.equal((e.edged.messages[1].content as { data: object }).data, {});
  assert.is(e.store.get("SELECT count(*) AS n FROM meta")!.n, 0, "pod and its status are gone");
  await e.bus.stop();
});

test("MetaManager applies a resync: deletes objects of the listed types the cloud no longer lists", async () => {
  const e = await env();
  for (const n of ["a", "b", "c"]) await e.bus.send("metamanager", fromCloud("insert", `default/configmap/${n}`, cm(n, "1"), "1"));
  await e.bus.send("metamanager", fromCloud("insert", "default/endpoints/s", { metadata: { name: "s" } }, "1"));
  const msgs = buildResync("n1", [{ type: "configmap", object: cm("b", "1") }]).map((m) => ({ ...m, route: { ...m.route, resource: fromCloudResource(m.route.resource).resource } }));
  for (const m of msgs) await e.bus.send("metamanager", m);
  await waitUntil(() => e.meta.counters.deleted === 2, 5000, "two deleted");
  const keys = e.store.all<{ key: string }>("SELECT key FROM meta ORDER BY key").map((r) => r.key);
  assert.equal(keys, ["default/configmap/b", "default/endpoints/s"], "other types are left alone");
  const deletes = e.edged.messages.filter((m) => m.route.operation === "delete").map((m) => m.route.resource).sort();
  assert.equal(deletes, ["default/configmap/a", "default/configmap/c"]);
  await e.bus.stop();
});

test("MetaManager keeps an object newer than the resync's version", async () => {
  const e = await env();
  await e.bus.send("metamanager", fromCloud("insert", "default/configmap/late", cm("late", "50"), "50"));
  const sync = fromCloud("sync", "*/resync", { types: ["configmap"], keys: [], resourceVersion: "40" });
  await e.bus.send("metamanager", sync);
  await waitUntil(() => e.edgehub.messages.length >= 1, 5000);
  await e.bus.sendSync("metamanager", newMessage({ source: "edged", group: "meta", operation: "query", resource: "*/configmap", content: null }), { timeoutMs: 2000 });
  assert.is(e.store.get("SELECT count(*) AS n FROM meta")!.n, 1);
  await e.bus.stop();
});

test("MetaManager answers local queries for one object and for all of a type, offline", async () => {
  const e = await env();
  await e.bus.send("metamanager", fromCloud("insert", "default/pod/p1", cm("p1", "1"), "1"));
  await e.bus.send("metamanager", fromCloud("insert", "other/pod/p2", cm("p2", "2"), "2"));
  const q = (resource: string) => e.bus.sendSync("metamanager", newMessage({ source: "edged", group: "meta", operation: "query", resource, content: null }), { timeoutMs: 2000 });
  await waitUntil(() => e.meta.counters.stored === 2, 5000);
  assert.equal(((await q("default/pod/p1")).content as { metadata: { name: string } }).metadata.name, "p1");
  assert.is(((await q("*/pod")).content as unknown[]).length, 2);
  assert.is(((await q("other/pod")).content as unknown[]).length, 1);
  const missing = await q("default/configmap/nope");
  assert.equal([missing.route.operation, missing.content], ["error", "not found"]);
  await e.bus.stop();
});

test("MetaManager asks the cloud for a missing object while linked and stores the answer", async () => {
  const e = await env(({ edgehub }) => {
    edgehub.onMessage = (m, ctx) => {
      if (m.route.operation === "query") ctx.bus.respond(replyTo(m, cm("remote", "8"), "edgecontroller"));
    };
  });
  await e.bus.send("metamanager", newMessage({ source: "edgehub", group: "hub", operation: "connected", resource: "node", content: null }));
  const reply = await e.bus.sendSync("metamanager", newMessage({ source: "edged", group: "meta", operation: "query", resource: "default/configmap/remote", content: null }), { timeoutMs: 3000 });
  assert.is((reply.content as { metadata: { name: string } }).metadata.name, "remote");
  assert.equal(e.store.get("SELECT key, resource_version FROM meta"), { key: "default/configmap/remote", resource_version: "8" });
  assert.is(e.edgehub.messages.find((m) => m.route.operation === "query")?.route.source, "metaManager");
  await e.bus.stop();
});

test("MetaManager forwards edge reports to edgehub and stores pod statuses for the periodic sync", async () => {
  const e = await env();
  const status = newMessage({ source: "edged", group: "meta", operation: "update", resource: "default/podstatus/p", content: { UID: "u", Name: "p", Status: { phase: "Running" } } });
  await e.bus.send("metamanager", status);
  await e.bus.send("metamanager", newMessage({ source: "edged", group: "meta", operation: "update", resource: "default/nodestatus/n1", content: { UID: "n", Status: {} } }));
  await waitUntil(() => e.edgehub.messages.length === 2, 5000);
  assert.is(e.edgehub.messages[0], status);
  assert.equal(e.store.all<{ key: string }>("SELECT key FROM meta").map((r) => r.key), ["default/podstatus/p"]);
  await e.bus.stop();
});

test("MetaManager answers an unknown operation with an error reply and counts it", async () => {
  const e = await env();
  const reply = await e.bus.sendSync("metamanager", newMessage({ source: "edged", group: "meta", operation: "frobnicate", resource: "default/pod/x", content: null }), { timeoutMs: 2000 });
  assert.is(reply.route.operation, "error");
  assert.match(reply.content as string, /does not handle operation "frobnicate"/);
  const bad = fromCloud("bogus", "default/pod/x", {}, "4");
  await e.bus.send("metamanager", bad);
  await waitUntil(() => e.edgehub.messages.length === 1, 5000, "error reply to the cloud");
  assert.is(e.edgehub.messages[0].header.parent_msg_id, bad.header.msg_id);
  assert.is(e.meta.counters.unknown, 2);
  await e.bus.stop();
});

test("MetaManager answers a malformed cloud message with an error instead of storing it", async () => {
  const e = await env();
  await e.bus.send("metamanager", fromCloud("insert", "default/configmap", cm("x", "1"), "1"));
  await waitUntil(() => e.edgehub.messages.length === 1, 5000);
  assert.is(e.edgehub.messages[0].route.operation, "error");
  assert.is(e.store.get("SELECT count(*) AS n FROM meta")!.n, 0);
  await e.bus.stop();
});

test.run();
