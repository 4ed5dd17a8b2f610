/**
 * Tells whether the host rebooted since Edged last ran, as the kubelet does: the kernel draws a new random boot id at
 * each boot; the last one seen is kept in the edge store (table `edged_boot`), and a different one now means the
 * node rebooted (the Rebooted Event).
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import type { Store } from "../../store/types.ts";

/** Where Linux shows this boot's id. */
export const BOOT_ID_PATH = "/proc/sys/kernel/random/boot_id";

const SCHEMA = "CREATE TABLE IF NOT EXISTS edged_boot (id INTEGER PRIMARY KEY CHECK (id = 1), boot_id TEXT NOT NULL)";

/** This boot's id, or "" where the host has none (not Linux). */
export async function readBootId(path = BOOT_ID_PATH): Promise<string> {
  return (await readFile(path, "utf8").catch(() => "")).split("\n")[0].trim().slice(0, 128);
}

/**
 * Remembers `bootId` as the last seen.
 *
 * @returns the boot id seen before when it differs (the node rebooted); undefined on the first run or the same boot
 */
export async function rememberBootId(store: Store, bootId: string): Promise<string | undefined> {
  if (!bootId) return undefined;
  await store.transaction((tx) => tx.run(SCHEMA));
  const before = store.get<{ boot_id: string }>("SELECT boot_id FROM edged_boot WHERE id = 1")?.boot_id;
  if (before === bootId) return undefined;
  await store.transaction((tx) => tx.run("INSERT OR REPLACE INTO edged_boot (id, boot_id) VALUES (1, ?)", [bootId]));
  return before;
}
