/**
 * The durable SQLite store shared by edge and cloud: sql.js in memory, one fsynced journal line per committed
 * transaction (group commit), snapshots that replace the journal as it grows. A transaction resolves only once it
 * survives kill -9. Error codes: see `store_error.ts`; files on disk: see `store_files.ts`.
 *
 * Rules for callers: statements must be deterministic, because recovery runs them again (bind values as parameters;
 * no random(), no datetime('now')); `PRAGMA application_id` belongs to the store (it numbers snapshots); one process
 * at a time opens a path.
 *
 * @module
 */
export { openStore } from "./open_store.ts";
export { openMemoryStore } from "./memory_store.ts";
export type { MemoryStoreOptions } from "./memory_store.ts";
export { StoreError } from "./store_error.ts";
export type { StoreErrorCode } from "./store_error.ts";
export type { Row, SqlParams, SqlValue, Store, StoreOptions, Tx } from "./types.ts";
export { ensurePrivateDir, ensurePrivateDirSync, openPrivateFile, preparePrivateDataDir, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, tightenPrivateTree } from "./private_fs.ts";
export type { TightenOptions } from "./private_fs.ts";
