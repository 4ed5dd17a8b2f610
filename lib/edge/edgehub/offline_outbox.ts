/**
 * Reports made while the cloud is unreachable (edge autonomy): the latest message per operation and
 * resource, in the store (table `edgehub_outbox`) so they survive an edge restart, sent in order after reconnect.
 *
 * @module
 */
import { decodeMessage, encodeMessage, type Message } from "../../model/index.ts";
import type { Store } from "../../store/types.ts";

const SCHEMA = "CREATE TABLE IF NOT EXISTS edgehub_outbox (key TEXT PRIMARY KEY, seq INTEGER NOT NULL, message TEXT NOT NULL)";

type Entry = { key: string; seq: number; msg: Message };

/** The kept reports, mirrored in memory; the store copy (when there is a store) is what a restart reloads. */
export class OfflineOutbox {
  readonly #store: Store | undefined;
  readonly #limit: number;
  readonly #entries = new Map<string, Entry>();
  #seq = 0;

  constructor(store: Store | undefined, limit: number) {
    this.#store = store;
    this.#limit = limit;
  }

  /** Creates the table and loads what an earlier run kept. */
  async open(): Promise<void> {
    if (!this.#store) return;
    await this.#store.transaction((tx) => tx.run(SCHEMA));
    for (const row of this.#store.all<{ key: string; seq: number; message: string }>("SELECT key, seq, message FROM edgehub_outbox ORDER BY seq")) {
      this.#entries.set(row.key, { key: row.key, seq: row.seq, msg: decodeMessage(row.message) });
      this.#seq = Math.max(this.#seq, row.seq);
    }
  }

  /** Reports waiting. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Keeps `msg`, replacing an older report on the same operation and resource.
   *
   * @returns how many older reports were dropped because the outbox was full
   */
  async keep(msg: Message): Promise<number> {
    const key = `${msg.route.operation} ${msg.route.resource}`;
    const entry = { key, seq: ++this.#seq, msg };
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    const evicted: string[] = [];
    for (const k of this.#entries.keys()) {
      if (this.#entries.size <= this.#limit) break;
      this.#entries.delete(k);
      evicted.push(k);
    }
    await this.#store?.transaction((tx) => {
      tx.run("INSERT OR REPLACE INTO edgehub_outbox (key, seq, message) VALUES (?, ?, ?)", [key, entry.seq, encodeMessage(msg)]);
      for (const k of evicted) tx.run("DELETE FROM edgehub_outbox WHERE key = ?", [k]);
    });
    return evicted.length;
  }

  /** The kept reports, oldest first. */
  list(): Message[] {
    return [...this.#entries.values()].map((e) => e.msg);
  }

  /** Forgets reports that were sent (each only if it was not replaced meanwhile). */
  async remove(sent: Message[]): Promise<void> {
    const gone: Entry[] = [];
    for (const msg of sent) {
      const key = `${msg.route.operation} ${msg.route.resource}`;
      const e = this.#entries.get(key);
      if (e?.msg === msg) {
        this.#entries.delete(key);
        gone.push(e);
      }
    }
    if (!gone.length) return;
    await this.#store?.transaction((tx) => {
      for (const e of gone) tx.run("DELETE FROM edgehub_outbox WHERE key = ? AND seq = ?", [e.key, e.seq]);
    });
  }
}
