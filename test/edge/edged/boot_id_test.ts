import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readBootId, rememberBootId } from "../../../lib/edge/edged/boot_id.ts";
import { silentLogger } from "../../../lib/log/index.ts";
import { openStore } from "../../../lib/store/index.ts";

const dir = mkdtempSync(join(tmpdir(), "boot-id-"));

test.after(() => rmSync(dir, { recursive: true, force: true }));

test("rememberBootId() tells a new boot id after a restart of the store, not the first one nor the same one", async () => {
  const path = join(dir, "edge", "edge.db");
  let store = await openStore(path, { log: silentLogger });
  assert.is(await rememberBootId(store, "boot-a"), undefined, "first run: nothing to compare with");
  assert.is(await rememberBootId(store, "boot-a"), undefined, "same boot");
  await store.close();
  store = await openStore(path, { log: silentLogger });
  assert.is(await rememberBootId(store, "boot-b"), "boot-a", "the host rebooted");
  assert.is(await rememberBootId(store, "boot-b"), undefined);
  assert.is(await rememberBootId(store, ""), undefined, "a host without boot id never tells a reboot");
  await store.close();
});

test("readBootId() reads the first line, and is empty where there is no such file", async () => {
  const file = join(dir, "boot_id");
  writeFileSync(file, "0f3c8a4e-1b2c-4d5e-8f90-a1b2c3d4e5f6\n");
  assert.is(await readBootId(file), "0f3c8a4e-1b2c-4d5e-8f90-a1b2c3d4e5f6");
  assert.is(await readBootId(join(dir, "missing")), "");
});

test.run();
