/**
 * A store with no files, for unit tests of its callers: the same SQL engine and transaction rules as the durable
 * store, but a commit resolves as soon as it is applied and everything is gone on close.
 *
 * @module
 */
import { SqlEngine } from "./sql_engine.ts";
import { StoreError } from "./store_error.ts";
import type { Row, SqlParams, Store, Tx } from "./types.ts";

/** Options of {@link openMemoryStore}. */
export type MemoryStoreOptions = {
  /** Prepared statements kept, least recently used evicted first. @default 256 */
  statementCacheEntries?: number;
};

class MemoryStore implements Store {
  #engine: SqlEngine | undefined;

  constructor(engine: SqlEngine) {
    this.#engine = engine;
  }

  #open(action: string): SqlEngine {
    if (!this.#engine) throw new StoreError("STORE_CLOSED", `Cannot ${action}: memory store is closed`);
    return this.#engine;
  }

  transaction<T>(fn: (tx: Tx) => T): Promise<T> {
    try {
      return Promise.resolve(this.#open("run transaction").transaction(fn, false).value);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  all<R extends Row = Row>(sql: string, params?: SqlParams): R[] {
    return this.#open("read").all<R>(sql, params);
  }

  get<R extends Row = Row>(sql: string, params?: SqlParams): R | undefined {
    return this.#open("read").all<R>(sql, params, 1)[0];
  }

  close(): Promise<void> {
    this.#engine?.close();
    this.#engine = undefined;
    return Promise.resolve();
  }
}

/**
 * Opens an empty in-memory store. For unit tests of callers only; integration tests use {@link openStore}.
 *
 * @param options statement cache size
 * @returns a store that keeps nothing after close
 * @example A throwaway store in a unit test
 * ```ts
 * const store = await openMemoryStore();
 * await store.transaction((tx) => tx.run("CREATE TABLE pods(key TEXT PRIMARY KEY, body TEXT)"));
 * await store.close();
 * ```
 */
export async function openMemoryStore(options: MemoryStoreOptions = {}): Promise<Store> {
  return new MemoryStore(await SqlEngine.open(undefined, options.statementCacheEntries ?? 256));
}
