/**
 * Where a store keeps its files, all beside the path it was opened with (say `/var/lib/kubeedge/edge.db`):
 *
 * | file | what |
 * | --- | --- |
 * | `edge.db` | the snapshot: a plain SQLite database file (open it with the sqlite3 shell to inspect) whose header field application_id holds its generation |
 * | `edge.db.journal.<N>` | the journal of generation N: one header line, then one line per committed transaction |
 * | `edge.db.tmp`, `edge.db.journal.<N>.tmp` | a snapshot or journal being written; removed on open |
 * | `edge.db.journal.<N>.dropped` | a damaged journal tail cut off on open, kept for inspection |
 *
 * Snapshot N holds every transaction of the journals below N, so recovery loads the snapshot and replays the
 * journals from N upwards, in order.
 *
 * @module
 */
import { readdir } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** The paths of one store's files. */
export type StoreFiles = {
  /** The path the store was opened with. */
  readonly base: string;
  /** The directory holding every file of the store. */
  readonly dir: string;
  /** The snapshot (`base` itself). */
  readonly snapshot: string;
  /** The journal of a generation. */
  journal(generation: number): string;
};

/** The file layout of a store opened at `base`. */
export function storeFiles(base: string): StoreFiles {
  return {
    base,
    dir: dirname(base),
    snapshot: base,
    journal: (generation) => `${base}.journal.${generation}`,
  };
}

/** The generations of the journals present, ascending, and the leftover temporary files of this store. */
export async function listStoreFiles(files: StoreFiles): Promise<{ journals: number[]; temps: string[] }> {
  const name = basename(files.base);
  const journal = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.journal\\.(\\d+)(\\.tmp)?$`);
  const journals: number[] = [];
  const temps: string[] = [];
  for (const entry of await readdir(files.dir)) {
    if (entry === `${name}.tmp`) temps.push(join(files.dir, entry));
    const m = journal.exec(entry);
    if (m?.[2]) temps.push(join(files.dir, entry));
    else if (m) journals.push(Number(m[1]));
  }
  return { journals: journals.sort((a, b) => a - b), temps };
}
