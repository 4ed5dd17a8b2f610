import type { IncomingMessage } from "node:http";
import { request } from "node:https";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.ts";
import { waitUntil } from "../support/process.ts";

let t: TestApiServer;
const json = { "content-type": "application/json" };
const TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

type Watch = { events: any[]; ended: () => boolean; res: IncomingMessage; close(): void };

/** Opens a watch and collects its events (one JSON object per line). */
function openWatch(path: string, headers: Record<string, string> = {}, options: { read?: boolean } = {}): Promise<Watch> {
  return new Promise((resolve, reject) => {
    const req = request(`${t.api.url}${path}`, { headers: { authorization: `Bearer ${t.api.token}`, ...headers }, ca: t.tls.ca, agent: false }, (res) => {
      const events: any[] = [];
      let buffer = "", ended = false;
      res.on("end", () => (ended = true));
      res.on("close", () => (ended = true));
      res.on("error", () => (ended = true));
      if (options.read !== false) {
        res.on("data", (chunk: Buffer) => {
          buffer += chunk.toString("utf8");
          let nl: number;
          while ((nl = buffer.indexOf("\n")) >= 0) {
            events.push(JSON.parse(buffer.slice(0, nl)));
            buffer = buffer.slice(nl + 1);
          }
        });
      }
      resolve({ events, ended: () => ended, res, close: () => req.destroy() });
    });
    req.on("error", reject);
    req.end();
  });
}
const createCm = async (name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}) => {
  const r = await t.request("POST", "/api/v1/namespaces/default/configmaps", { headers: json, body: JSON.stringify({ metadata: { name, labels }, data }) });
  assert.is(r.status, 201, r.text);
  return r.json();
};
const mergeCm = async (name: string, patch: object) => {
  const r = await t.request("PATCH", `/api/v1/namespaces/default/configmaps/${name}`, { headers: { "content-type": "application/merge-patch+json" }, body: JSON.stringify(patch) });
  assert.is(r.status, 200, r.text);
  return r.json();
};

test.before(async () => {
  t = await startTestApiServer({ watchHistorySize: 20, bookmarkIntervalMs: 200, maxWatchBufferBytes: 64 * 1024 });
});
test.after(async () => {
  await t.close();
});

test("a watch without resourceVersion starts with the current objects, then streams changes in order", async () => {
  await createCm("w1");
  // every namespace also holds kube-root-ca.crt, as on a real cluster: leave it out
  const w = await openWatch("/api/v1/namespaces/default/configmaps?watch=true&fieldSelector=metadata.name%21%3Dkube-root-ca.crt");
  await waitUntil(() => w.events.length === 1, 10_000, "1 watch event");
  assert.is(w.events[0].type, "ADDED");
  await mergeCm("w1", { data: { a: "1" } });
  await t.request("DELETE", "/api/v1/namespaces/default/configmaps/w1");
  await waitUntil(() => w.events.length === 3, 10_000, "3 watch events");
  assert.equal(w.events.map((e) => e.type), ["ADDED", "MODIFIED", "DELETED"]);
  const rvs = w.events.map((e) => Number(e.object.metadata.resourceVersion));
  assert.ok(rvs[0] < rvs[1] && rvs[1] < rvs[2]);
  w.close();
});

test("a watch from a resourceVersion replays what followed it", async () => {
  const created = await createCm("w2");
  await mergeCm("w2", { data: { a: "2" } });
  const w = await openWatch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${created.metadata.resourceVersion}`);
  await waitUntil(() => w.events.length === 1, 10_000, "1 watch event");
  assert.is(w.events[0].type, "MODIFIED");
  assert.equal(w.events[0].object.data, { a: "2" });
  w.close();
});

test("a label-selected watch sees an object leave and enter the selection as DELETED and ADDED", async () => {
  await createCm("w3", { app: "a" });
  const list = (await t.request("GET", "/api/v1/namespaces/default/configmaps?labelSelector=app%3Da")).json();
  const w = await openWatch(`/api/v1/namespaces/default/configmaps?watch=true&labelSelector=app%3Da&resourceVersion=${list.metadata.resourceVersion}`);
  await mergeCm("w3", { metadata: { labels: { app: "b" } } });
  await mergeCm("w3", { data: { ignored: "yes" } });
  await mergeCm("w3", { metadata: { labels: { app: "a" } } });
  await waitUntil(() => w.events.length === 2, 10_000, "2 watch events");
  assert.equal(w.events.map((e) => e.type), ["DELETED", "ADDED"]);
  w.close();
});

test("a watch from a resourceVersion the history no longer holds gets a 410 ERROR event and is closed", async () => {
  const first = await createCm("w4");
  for (let i = 0; i < 25; i++) await mergeCm("w4", { data: { i: String(i) } });
  const w = await openWatch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${first.metadata.resourceVersion}`);
  await waitUntil(() => w.ended(), 10_000, "the watch to end");
  assert.is(w.events.length, 1);
  assert.is(w.events[0].type, "ERROR");
  assert.is(w.events[0].object.code, 410);
  assert.is(w.events[0].object.reason, "Expired");
  assert.match(w.events[0].object.message, /^too old resource version: \d+ \(\d+\)$/);
});

test("Table watch events carry column definitions on the first event only", async () => {
  const w = await openWatch("/api/v1/namespaces/default/configmaps?watch=true", { accept: TABLE_ACCEPT });
  await waitUntil(() => w.events.length >= 2, 10_000, "2 watch events or more");
  await createCm("w5");
  await waitUntil(() => w.events.some((e) => e.object.rows?.[0]?.cells?.[0] === "w5"), 10_000, "a table row for w5");
  assert.is(w.events[0].object.kind, "Table");
  assert.equal(w.events[0].object.columnDefinitions.map((c: any) => c.name), ["Name", "Data", "Age"]);
  for (const e of w.events.slice(1)) assert.is(e.object.columnDefinitions, undefined);
  assert.is(w.events.at(-1).object.rows[0].object.kind, "PartialObjectMetadata");
  w.close();
});

test("watches that allow bookmarks get BOOKMARK events, and timeoutSeconds ends a watch", async () => {
  const w = await openWatch("/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion=" +
    (await t.request("GET", "/api/v1/namespaces/default/configmaps")).json().metadata.resourceVersion);
  await waitUntil(() => w.events.some((e) => e.type === "BOOKMARK"), 10_000, "a BOOKMARK event");
  const bookmark = w.events.find((e) => e.type === "BOOKMARK");
  assert.is(bookmark.object.kind, "ConfigMap");
  assert.match(bookmark.object.metadata.resourceVersion, /^\d+$/);
  w.close();
  const started = Date.now();
  const timed = await openWatch("/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1&resourceVersion=0");
  await waitUntil(() => timed.ended(), 5000, "the timed watch to end");
  assert.ok(Date.now() - started >= 900);
});

test("a watcher that stops reading is closed once its buffer passes the limit", async () => {
  const list = (await t.request("GET", "/api/v1/namespaces/default/configmaps")).json();
  const w = await openWatch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${list.metadata.resourceVersion}`, {}, { read: false });
  w.res.pause();
  const big = "x".repeat(100_000);
  await createCm("big");
  for (let i = 0; i < 40; i++) await mergeCm("big", { data: { v: big + i } });
  // Reading now drains what was buffered, then the end the server sent when it gave up on this watcher.
  let received = 0;
  w.res.on("data", (c: Buffer) => (received += c.length));
  w.res.resume();
  await waitUntil(() => w.ended(), 10_000, "the watch to end");
  assert.ok(received < 40 * 100_000, `received ${received} bytes`);
});

test.run();
