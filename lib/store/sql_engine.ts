/**
 * One sql.js database with a bounded cache of prepared statements, and transactions that record what they ran.
 * The durable store journals that record; the memory store skips it. Everything here is synchronous, as sql.js is.
 *
 * @module
 */
import type { Database, Statement } from "sql.js";
import { loadSqlJs } from "../../wasm/sqljs.ts";
import { encodeStatement, type JournalStatement } from "./journal_line.ts";
import { sqlError, StoreError } from "./store_error.ts";
import type { Row, SqlParams, Tx } from "./types.ts";

// `used` is the CLOCK bit: set on each hit, cleared when eviction passes over the entry, so a hit costs one store
// instead of the delete and re-insert strict LRU order would need.
type Cached = { stmt: Statement; sqlJson: string; used: boolean; writes: boolean };

/** What a transaction produced: the body's value and, when journalled, its statements encoded for the journal. */
export type TxResult<T> = { value: T; statements: string[] };

// A parameterless string with a second statement after a `;` goes through exec, which runs them all (schema scripts);
// prepare would silently ignore everything after the first statement.
const MULTI_STATEMENT = /;\s*\S/;

// Statements that change the database: through a read they would bypass the journal and vanish on restart.
const WRITING = /^\s*(insert|update|delete|replace|create|drop|alter)\b/i;

// The database lives in sql.js's in-memory file system: a rollback journal in memory keeps ROLLBACK working without
// file writes, and there is nothing to sync. Durability is the store journal's job.
const CONNECTION_PRAGMAS = "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;";

function isThenable(v: unknown): boolean {
  return typeof v === "object" && v !== null && typeof (v as { then?: unknown }).then === "function";
}

/** A sql.js database plus the statement cache and transaction bookkeeping the stores share. */
export class SqlEngine {
  #db: Database;
  #cache = new Map<string, Cached>();
  #cacheEntries: number;
  #inTransaction = false;

  /**
   * Loads the SQLite engine and opens a database.
   *
   * @param image bytes of a SQLite database file to start from, or undefined for an empty database
   * @param statementCacheEntries how many prepared statements to keep
   * @throws StoreError `STORE_CORRUPT` when `image` is not a SQLite database
   */
  static async open(image: Uint8Array | undefined, statementCacheEntries: number): Promise<SqlEngine> {
    const SQL = await loadSqlJs();
    const db = new SQL.Database(image);
    try {
      db.exec(CONNECTION_PRAGMAS);
      db.exec("SELECT count(*) FROM sqlite_master");
    } catch (err) {
      db.close();
      throw new StoreError("STORE_CORRUPT", `Cannot load database image: ${String(err)}`, { cause: err });
    }
    return new SqlEngine(db, statementCacheEntries);
  }

  private constructor(db: Database, statementCacheEntries: number) {
    this.#db = db;
    this.#cacheEntries = statementCacheEntries;
  }

  #prepare(sql: string): Cached {
    const hit = this.#cache.get(sql);
    if (hit) {
      hit.used = true;
      return hit;
    }
    let stmt: Statement;
    try {
      stmt = this.#db.prepare(sql);
    } catch (err) {
      throw sqlError(sql, err);
    }
    if (this.#cache.size >= this.#cacheEntries) this.#evictOne();
    const entry = { stmt, sqlJson: JSON.stringify(sql), used: true, writes: WRITING.test(sql) };
    this.#cache.set(sql, entry);
    return entry;
  }

  #evictOne(): void {
    // Entries used since the last pass get a second chance at the back; the first unused one goes. Terminates: every
    // entry passed over loses its bit.
    for (const [sql, entry] of this.#cache) {
      this.#cache.delete(sql);
      if (!entry.used) {
        entry.stmt.free();
        return;
      }
      entry.used = false;
      this.#cache.set(sql, entry);
    }
  }

  /**
   * All rows of a query, or only the first `limit`.
   *
   * @throws StoreError `STORE_SQL`; TypeError for an INSERT, UPDATE, DELETE, REPLACE, CREATE, DROP or ALTER
   */
  all<R extends Row = Row>(sql: string, params?: SqlParams, limit = Infinity): R[] {
    const entry = this.#prepare(sql);
    if (entry.writes) throw new TypeError(`Cannot read with "${sql.slice(0, 40)}": writes go through a transaction`);
    return this.#rows<R>(entry, sql, params, limit);
  }

  /**
   * `tx.all` and `tx.get`: a writing statement (`INSERT ... RETURNING`) runs and, when `statements` is given, is
   * recorded like `tx.run`.
   */
  allRecorded<R extends Row = Row>(
    statements: string[] | undefined,
    sql: string,
    params?: SqlParams,
    limit = Infinity,
  ): R[] {
    const entry = this.#prepare(sql);
    if (!entry.writes || !statements) return this.#rows<R>(entry, sql, params, limit);
    const encoded = encodeStatement(entry.sqlJson, params);
    const rows = this.#rows<R>(entry, sql, params, limit);
    statements.push(encoded);
    return rows;
  }

  #rows<R extends Row>({ stmt }: Cached, sql: string, params: SqlParams | undefined, limit: number): R[] {
    try {
      if (params !== undefined) stmt.bind(params);
      const rows: R[] = [];
      let names: string[] | undefined;
      while (rows.length < limit && stmt.step()) {
        names ??= stmt.getColumnNames();
        const values = stmt.get();
        const row: Row = {};
        for (let i = 0; i < names.length; i++) row[names[i]!] = values[i] as R[string];
        rows.push(row as R);
      }
      return rows;
    } catch (err) {
      throw sqlError(sql, err);
    } finally {
      stmt.reset();
    }
  }

  /**
   * Executes one writing statement (or, without params, a `;`-separated script).
   *
   * @returns rows changed by the last INSERT, UPDATE or DELETE
   * @throws StoreError `STORE_SQL` or `STORE_CONSTRAINT`
   */
  run(sql: string, params?: SqlParams): number {
    if (params === undefined && MULTI_STATEMENT.test(sql)) this.#script(sql);
    else this.#step(this.#prepare(sql), sql, params);
    return this.#db.getRowsModified();
  }

  #script(sql: string): void {
    try {
      this.#db.run(sql);
    } catch (err) {
      throw sqlError(sql, err);
    }
  }

  #step({ stmt }: Cached, sql: string, params: SqlParams | undefined): void {
    try {
      if (params !== undefined) stmt.bind(params);
      stmt.step();
    } catch (err) {
      throw sqlError(sql, err);
    } finally {
      stmt.reset();
    }
  }

  /** `tx.run` of a journalled transaction: encodes, executes, then appends to `statements`. */
  runRecorded(statements: string[], sql: string, params: SqlParams | undefined): number {
    const entry = params === undefined && MULTI_STATEMENT.test(sql) ? undefined : this.#prepare(sql);
    // Encode before executing: a value that cannot be journalled must fail the statement, not be lost; and a params
    // array the body mutates after this call is captured as it was bound.
    const encoded = encodeStatement(entry ? entry.sqlJson : JSON.stringify(sql), params);
    if (entry) this.#step(entry, sql, params);
    else this.#script(sql);
    statements.push(encoded);
    return this.#db.getRowsModified();
  }

  /**
   * Runs `fn` inside BEGIN/COMMIT. When `journal` is set, each successful `tx.run` is recorded, encoded for the
   * journal; a failed one changed nothing and is left out.
   *
   * @throws whatever `fn` throws, after ROLLBACK; TypeError when `fn` returns a promise; StoreError `STORE_NESTED`
   */
  transaction<T>(fn: (tx: Tx) => T, journal: boolean): TxResult<T> {
    if (this.#inTransaction) {
      throw new StoreError("STORE_NESTED", "Cannot start transaction: another transaction body is running");
    }
    const tx = new EngineTx(this, journal);
    this.#inTransaction = true;
    this.run("BEGIN");
    try {
      const value = fn(tx);
      if (isThenable(value)) {
        throw new TypeError("Cannot commit transaction: its body returned a promise, and bodies must be synchronous");
      }
      this.run("COMMIT");
      return { value, statements: tx.statements };
    } catch (err) {
      this.#rollback();
      throw err;
    } finally {
      tx.finish();
      this.#inTransaction = false;
    }
  }

  #rollback(): void {
    try {
      this.run("ROLLBACK");
    } catch {
      // SQLite already rolled back on its own (it does after some errors); nothing is left to undo.
    }
  }

  /**
   * Applies one journalled transaction again, all or nothing.
   *
   * @throws StoreError `STORE_SQL` or `STORE_CONSTRAINT` when a statement fails (the journal does not match)
   */
  replay(statements: JournalStatement[]): void {
    this.run("BEGIN");
    try {
      for (const [sql, params] of statements) this.run(sql, params);
      this.run("COMMIT");
    } catch (err) {
      this.#rollback();
      throw err;
    }
  }

  /**
   * The database file as bytes, stamped with `generation` in its header's application_id (the store reserves that
   * field: it tells which journals a snapshot already contains).
   */
  export(generation: number): Uint8Array {
    this.#db.exec(`PRAGMA application_id = ${generation | 0}`);
    return this.#db.export();
  }

  /** The generation stamped by {@link SqlEngine.export} into the image this database was loaded from. */
  generation(): number {
    return this.all<{ application_id: number }>("PRAGMA application_id")[0]!.application_id;
  }

  /** Frees the statements and the database. */
  close(): void {
    for (const { stmt } of this.#cache.values()) stmt.free();
    this.#cache.clear();
    this.#db.close();
  }
}

/** The `Tx` handed to one transaction body; it refuses use once the body has returned. */
class EngineTx implements Tx {
  /** Encoded statements, when journalling. */
  readonly statements: string[] = [];
  #engine: SqlEngine;
  #journal: boolean;
  #open = true;

  constructor(engine: SqlEngine, journal: boolean) {
    this.#engine = engine;
    this.#journal = journal;
  }

  #check(): void {
    if (!this.#open) throw new StoreError("STORE_TX_FINISHED", "Cannot use transaction: its body already returned");
  }

  run(sql: string, params?: SqlParams): number {
    this.#check();
    return this.#journal ? this.#engine.runRecorded(this.statements, sql, params) : this.#engine.run(sql, params);
  }

  all<R extends Row = Row>(sql: string, params?: SqlParams): R[] {
    this.#check();
    return this.#engine.allRecorded<R>(this.#journal ? this.statements : undefined, sql, params);
  }

  get<R extends Row = Row>(sql: string, params?: SqlParams): R | undefined {
    this.#check();
    return this.#engine.allRecorded<R>(this.#journal ? this.statements : undefined, sql, params, 1)[0];
  }

  /** Ends the body's use of this Tx. */
  finish(): void {
    this.#open = false;
  }
}
