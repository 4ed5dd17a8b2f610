/**
 * The `meta` table (as KubeEdge's edge database has it: key `<ns>/<type>/<name>` primary, type, value JSON) plus
 * the object's resourceVersion, which decides whether a message from the cloud is newer than what is stored.
 *
 * Writers decide and start their transaction synchronously (the store runs the body at once and only waits for
 * fsync), so several messages can be in flight and still apply in arrival order.
 *
 * @module
 */
import { compareResourceVersions } from "../../model/index.ts";
import type { Store } from "../../store/types.ts";

const SCHEMA = [
  "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, type TEXT NOT NULL, value TEXT NOT NULL, resource_version TEXT NOT NULL DEFAULT '')",
  "CREATE INDEX IF NOT EXISTS meta_type ON meta (type)",
];

/** A stored object. */
export type MetaRow = { key: string; type: string; value: unknown; resourceVersion: string };

/** What an upsert or delete from the cloud did. */
export type WriteOutcome = "stored" | "duplicate" | "stale";

type RawRow = { key: string; type: string; value: string; resource_version: string };

/** Access to the `meta` table. */
export class MetaTable {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /** Creates the table when absent. */
  async open(): Promise<void> {
    await this.#store.transaction((tx) => {
      for (const sql of SCHEMA) tx.run(sql);
    });
  }

  /** The stored object under `key`, or undefined. */
  get(key: string): MetaRow | undefined {
    const r = this.#store.get<RawRow>("SELECT key, type, value, resource_version FROM meta WHERE key = ?", [key]);
    return r && toRow(r);
  }

  /** Every stored object of `type`, optionally of one namespace, ordered by key. */
  list(type: string, namespace?: string): MetaRow[] {
    const rows = this.#store.all<RawRow>("SELECT key, type, value, resource_version FROM meta WHERE type = ? ORDER BY key", [type]);
    const prefix = `${namespace}/${type}/`;
    return (namespace === undefined ? rows : rows.filter((r) => r.key.startsWith(prefix))).map(toRow);
  }

  /**
   * Stores `value` unless the stored version is newer (stale) or the same (duplicate). A version that cannot be
   * compared (empty or not a number) counts as newer.
   *
   * @returns the outcome and, when stored, the promise that settles once it is durable
   */
  upsert(key: string, type: string, value: unknown, resourceVersion: string): { outcome: WriteOutcome; durable: Promise<void> } {
    const outcome = this.#compare(key, resourceVersion);
    if (outcome !== "stored") return { outcome, durable: Promise.resolve() };
    const durable = this.#store.transaction((tx) => {
      tx.run("INSERT OR REPLACE INTO meta (key, type, value, resource_version) VALUES (?, ?, ?, ?)", [key, type, JSON.stringify(value), resourceVersion]);
    });
    return { outcome, durable };
  }

  /**
   * Deletes `key` unless the stored object is newer than the delete (it was re-created after).
   *
   * @returns the outcome, the deleted row (undefined when there was none) and the durability promise
   */
  delete(key: string, resourceVersion: string): { outcome: WriteOutcome; row?: MetaRow; durable: Promise<void> } {
    const row = this.get(key);
    if (!row) return { outcome: "duplicate", durable: Promise.resolve() };
    if ((compareResourceVersions(resourceVersion, row.resourceVersion) ?? 0) < 0) return { outcome: "stale", row, durable: Promise.resolve() };
    return { outcome: "stored", row, durable: this.deleteKeys([key]) };
  }

  /** Deletes rows by key in one transaction (used for dependent rows and resync). */
  deleteKeys(keys: string[]): Promise<void> {
    if (!keys.length) return Promise.resolve();
    return this.#store.transaction((tx) => {
      for (const k of keys) tx.run("DELETE FROM meta WHERE key = ?", [k]);
    });
  }

  /**
   * Rows of `types` whose keys are not in `keep`, except those stored at a version newer than `asOf` (they arrived
   * after the desired list was taken).
   */
  absentFrom(types: string[], keep: Set<string>, asOf?: string): MetaRow[] {
    const out: MetaRow[] = [];
    for (const type of types) {
      for (const row of this.list(type)) {
        if (keep.has(row.key)) continue;
        if (asOf !== undefined && (compareResourceVersions(row.resourceVersion, asOf) ?? 0) > 0) continue;
        out.push(row);
      }
    }
    return out;
  }

  #compare(key: string, rv: string): WriteOutcome {
    const stored = this.#store.get<{ resource_version: string }>("SELECT resource_version FROM meta WHERE key = ?", [key]);
    if (!stored) return "stored";
    const c = compareResourceVersions(rv, stored.resource_version);
    if (c === undefined || c > 0) return "stored";
    return c === 0 ? "duplicate" : "stale";
  }
}

function toRow(r: RawRow): MetaRow {
  return { key: r.key, type: r.type, value: JSON.parse(r.value), resourceVersion: r.resource_version };
}
