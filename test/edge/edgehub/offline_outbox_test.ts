import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { OfflineOutbox } from "../../../lib/edge/edgehub/offline_outbox.ts";
import { silentLogger } from "../../../lib/log/index.ts";
import { newMessage } from "../../../lib/model/index.ts";
import { openStore } from "../../../lib/store/index.ts";

const dir = mkdtempSync(join(tmpdir(), "outbox-"));
const status = (pod: string, phase: string) =>
  newMessage({ source: "edged", group: "meta", operation: "update", resource: `default/podstatus/${pod}`, content: { Name: pod, Status: { phase } } });

test("OfflineOutbox keeps the latest report per object, in order, across a restart", async () => {
  const path = join(dir, "a", "edge.db");
  let store = await openStore(path, { log: silentLogger });
  let box = new OfflineOutbox(store, 100);
  await box.open();
  await box.keep(status("p1", "Pending"));
  await box.keep(status("p2", "Running"));
  await box.keep(status("p1", "Running"));
  await store.close();

  store = await openStore(path, { log: silentLogger });
  box = new OfflineOutbox(store, 100);
  await box.open();
  const kept = box.list();
  assert.equal(kept.map((m) => [m.route.resource, (m.content as { Status: { phase: string } }).Status.phase]), [
    ["default/podstatus/p2", "Running"],
    ["default/podstatus/p1", "Running"],
  ]);
  await box.remove(kept);
  assert.is(box.size, 0);
  await store.close();
  store = await openStore(path, { log: silentLogger });
  assert.is(store.get("SELECT count(*) AS n FROM edgehub_outbox")!.n, 0);
  await store.close();
});

test("OfflineOutbox.remove() keeps a report that was replaced while the old one was being sent", async () => {
  const box = new OfflineOutbox(undefined, 100);
  await box.keep(status("p1", "Pending"));
  const sending = box.list();
  await box.keep(status("p1", "Running"));
  await box.remove(sending);
  assert.equal(box.list().map((m) => (m.content as { Status: { phase: string } }).Status.phase), ["Running"]);
});

test("OfflineOutbox.keep() drops the oldest reports beyond its limit", async () => {
  const box = new OfflineOutbox(undefined, 2);
  await box.keep(status("a", "x"));
  await box.keep(status("b", "x"));
  assert.is(await box.keep(status("c", "x")), 1);
  assert.equal(box.list().map((m) => m.route.resource), ["default/podstatus/b", "default/podstatus/c"]);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
