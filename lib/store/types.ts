/**
 * The durable store's contract. Both sides keep their state here: edge metadata and twins, the cloud's embedded
 * Kubernetes objects. A transaction resolves only once it is on disk (journal line fsynced), so an acknowledged
 * write survives kill -9.
 *
 * @module
 */
import type { Logger } from "../log/index.ts";

/** A bound SQL parameter. Statements must be deterministic: no random() or now() inside SQL. */
export type SqlValue = string | number | null | Uint8Array;

/** Positional (`?`) or named (`$name`) parameters. */
export type SqlParams = SqlValue[] | Record<string, SqlValue>;

/** A result row: column name to value. */
export type Row = Record<string, SqlValue>;

/** What a transaction body may do. It runs synchronously; every `run` is journalled with its parameters. */
export type Tx = {
  /** Executes a writing statement. @returns the number of rows changed */
  run(sql: string, params?: SqlParams): number;
  /** All rows of a query, seeing the transaction's own writes. */
  all<R extends Row = Row>(sql: string, params?: SqlParams): R[];
  /** The first row of a query, or undefined. */
  get<R extends Row = Row>(sql: string, params?: SqlParams): R | undefined;
};

/** An open store. */
export type Store = {
  /**
   * Runs `fn` as one SQLite transaction. If `fn` throws, nothing is applied and the promise rejects with that error.
   * Resolves with `fn`'s value only after the transaction is durable; concurrent callers share one fsync.
   */
  transaction<T>(fn: (tx: Tx) => T): Promise<T>;
  /** Reads committed state (including writes whose fsync is still pending). */
  all<R extends Row = Row>(sql: string, params?: SqlParams): R[];
  /** The first row of a read, or undefined. */
  get<R extends Row = Row>(sql: string, params?: SqlParams): R | undefined;
  /** Flushes pending commits, writes a snapshot, closes the files. Further calls reject with a StoreError. */
  close(): Promise<void>;
};

/** How a durable store is opened. Every field is optional; defaults are in `open_store.ts`. */
export type StoreOptions = {
  /** Journal size that starts a snapshot, after which the journal starts over. @default 4 MiB */
  snapshotBytes?: number;
  /**
   * Whether commits and snapshots wait for fsync. Turn it off only for tests: a process kill still loses nothing (the
   * page cache survives), but a power cut may lose acknowledged commits. @default true
   */
  fsync?: boolean;
  /** Journal bytes waiting to be written beyond which new transactions wait before running. @default 16 MiB */
  maxPendingBytes?: number;
  /** Prepared statements kept per store, least recently used evicted first. @default 256 */
  statementCacheEntries?: number;
  /** Where open, replay, snapshot and failure lines go. @default a logger named "store" at level info */
  log?: Logger;
};
