/**
 * The store's one error class. Each code is stable; `cause` holds the underlying error when there is one.
 *
 * | code | when |
 * | --- | --- |
 * | `STORE_CLOSED` | the store was closed (or is closing): no new transaction or read is accepted |
 * | `STORE_CORRUPT` | the snapshot is not a SQLite database, a journal is unreadable before its last line, the journal files have a gap, or a journalled statement fails on replay |
 * | `STORE_IO` | a read, write, fsync or rename failed; after a failed journal write the store refuses further transactions, because memory and disk may differ |
 * | `STORE_SQL` | SQLite rejected a statement (syntax, missing table, ...); the message carries SQLite's text |
 * | `STORE_CONSTRAINT` | a statement broke a UNIQUE, NOT NULL, CHECK or FOREIGN KEY constraint; the message carries SQLite's text |
 * | `STORE_TX_FINISHED` | a `Tx` was used after its transaction body returned |
 * | `STORE_NESTED` | `transaction()` was called from inside a transaction body |
 *
 * @module
 */

/** Stable codes of {@link StoreError}. */
export type StoreErrorCode =
  | "STORE_CLOSED"
  | "STORE_CORRUPT"
  | "STORE_IO"
  | "STORE_SQL"
  | "STORE_CONSTRAINT"
  | "STORE_TX_FINISHED"
  | "STORE_NESTED";

/** A failure of the durable store; callers branch on `code`, never on the message. */
export class StoreError extends Error {
  /** Stable code, see the module table. */
  readonly code: StoreErrorCode;

  /**
   * @param code what went wrong
   * @param message what was attempted and why it failed, e.g. `Cannot open store "/var/lib/edge.db": ...`
   * @param options `cause` to wrap
   */
  constructor(code: StoreErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StoreError";
    this.code = code;
  }
}

const SQL_SHOWN_CHARS = 80;

/**
 * Wraps an error thrown by SQLite for `sql` into a StoreError (`STORE_CONSTRAINT` or `STORE_SQL`). SQL text is safe
 * to show: values travel as bound parameters, never inside it.
 */
export function sqlError(sql: string, err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  const shown = sql.length > SQL_SHOWN_CHARS ? `${sql.slice(0, SQL_SHOWN_CHARS)}...` : sql;
  const code = / constraint failed/.test(reason) ? "STORE_CONSTRAINT" : "STORE_SQL";
  return new StoreError(code, `Cannot run statement "${shown}": ${reason}`, { cause: err });
}
