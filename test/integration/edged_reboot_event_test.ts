/**
 * Edged with a real Docker engine and a real edge store tells a reboot of its host: a changed boot id between two
 * runs is one Rebooted Warning Event naming the new id; the same boot id again, or the first run, tells nothing.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "../../lib/log/index.ts";
import { openStore } from "../../lib/store/index.ts";
import type { Store } from "../../lib/store/types.ts";
import { waitUntil } from "../support/process.ts";
import { type Harness, startHarness } from "./edged_harness.ts";

const dir = mkdtempSync(join(tmpdir(), "edged-reboot-"));
const bootIdPath = join(dir, "boot_id");
let store: Store;
let h: Harness;

test.before(async () => {
  writeFileSync(bootIdPath, "boot-one\n");
  store = await openStore(join(dir, "store", "edge.db"), { log: silentLogger });
  h = await startHarness({ store, bootIdPath });
});

test.after(async () => {
  await h?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Waits for the NodeReady Event of the `n`th run: that run has started and compared boot ids. */
async function runStarted(n: number): Promise<void> {
  await waitUntil(() => h.meta.events.filter((e) => e.reason === "NodeReady").length >= n, 20_000, `NodeReady of run ${n}`);
}

test("a changed boot id is one Rebooted Event; the first run and the same boot tell nothing", async () => {
  await runStarted(1);
  await h.restart();
  await runStarted(2);
  writeFileSync(bootIdPath, "boot-two\n");
  await h.restart();
  await runStarted(3);
  const rebooted = await waitUntil(() => h.meta.events.find((e) => e.reason === "Rebooted"), 10_000, "Rebooted event");
  assert.is(rebooted.message, `Node ${h.nodeName} has been rebooted, boot id: boot-two`);
  assert.ok(rebooted.metadata.name.startsWith(`${h.nodeName}.`));
  await h.restart();
  await runStarted(4);
  assert.is(h.meta.events.filter((e) => e.reason === "Rebooted").length, 1, "only the changed boot id is told");
});

test.run();
