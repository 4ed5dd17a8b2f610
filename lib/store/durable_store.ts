/**
 * The durable store: a sql.js database in memory, a journal line per committed transaction, and snapshots that
 * replace the journal when it grows. Opened by {@link openStore}; see `store_files.ts` for the files.
 *
 * Snapshot rotation, with journal N current and `snapshotBytes` reached:
 * 1. as a batch is taken (synchronously, so the image holds exactly journal N plus that batch) the database is
 *    exported, stamped generation N+1;
 * 2. the batch is appended to journal N and synced;
 * 3. journal N+1 is created (header only, by rename) and takes every later batch;
 * 4. in the background the image is written to `<base>.tmp`, synced, renamed over the snapshot, directory synced;
 * 5. the journals below N+1 are deleted.
 * A crash before 4's rename leaves snapshot <= N with journals N (and N+1): replay both. After it, snapshot N+1 with
 * journal N+1: journal N is stale and removed. Nothing committed is lost at any instant.
 *
 * @module
 */
import { unlink } from "node:fs/promises";
import type { Logger } from "../log/index.ts";
import { writeFileAtomic } from "./_atomic_file.ts";
import { encodeEntry } from "./journal_line.ts";
import { JournalFile } from "./journal_file.ts";
import { type AppendTarget, JournalWriter } from "./journal_writer.ts";
import type { SqlEngine } from "./sql_engine.ts";
import { StoreError } from "./store_error.ts";
import type { StoreFiles } from "./store_files.ts";
import type { Row, SqlParams, Store, Tx } from "./types.ts";

/** What {@link openStore} hands over once recovery is done. */
export type DurableStoreParts = {
  engine: SqlEngine;
  files: StoreFiles;
  journal: JournalFile;
  /** Older journals still on disk (a crash mid-rotation), deleted by the next snapshot. */
  retiredJournals: string[];
  options: { snapshotBytes: number; fsync: boolean; maxPendingBytes: number; log: Logger };
};

type State = "open" | "closing" | "closed";

/** A {@link Store} backed by snapshot and journal files. */
export class DurableStore implements Store {
  #engine: SqlEngine;
  #files: StoreFiles;
  #journal: JournalFile;
  #writer: JournalWriter;
  #retired: string[];
  #snapshotting: Promise<void> | undefined;
  #options: DurableStoreParts["options"];
  #log: Logger;
  #state: State = "open";
  #closed: Promise<void> | undefined;

  /** Takes over a recovered engine and journal; use {@link openStore} rather than this. */
  constructor(parts: DurableStoreParts) {
    this.#engine = parts.engine;
    this.#files = parts.files;
    this.#journal = parts.journal;
    this.#retired = parts.retiredJournals;
    this.#options = parts.options;
    this.#log = parts.options.log;
    this.#writer = new JournalWriter(parts.journal, {
      maxPendingBytes: parts.options.maxPendingBytes,
      onBatch: (target, batchBytes) => this.#maybeRotate(target, batchBytes),
    });
  }

  transaction<T>(fn: (tx: Tx) => T): Promise<T> {
    if (this.#state !== "open") return Promise.reject(this.#closedError("run transaction"));
    if (this.#writer.failure) return Promise.reject(this.#writer.failure);
    // Backpressure: wait before running the body, never after, so what runs is always journalled.
    if (this.#writer.full) return this.#writer.durable().then(() => this.transaction(fn));
    let result;
    try {
      result = this.#engine.transaction(fn, true);
    } catch (err) {
      return Promise.reject(err);
    }
    const { value, statements } = result;
    // A read-only body still waits for what it may have read to be durable.
    const done = statements.length ? this.#writer.append(encodeEntry(statements)) : this.#writer.durable();
    return done.then(() => value);
  }

  all<R extends Row = Row>(sql: string, params?: SqlParams): R[] {
    if (this.#state !== "open") throw this.#closedError("read");
    return this.#engine.all<R>(sql, params);
  }

  get<R extends Row = Row>(sql: string, params?: SqlParams): R | undefined {
    if (this.#state !== "open") throw this.#closedError("read");
    return this.#engine.all<R>(sql, params, 1)[0];
  }

  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  #closedError(action: string): StoreError {
    return new StoreError("STORE_CLOSED", `Cannot ${action}: store "${this.#files.base}" is closed`);
  }

  async #close(): Promise<void> {
    this.#state = "closing";
    await this.#writer.idle();
    await this.#snapshotting;
    try {
      // Retired journals are left when a snapshot failed or a crash came mid-rotation; they too need a snapshot.
      const changed = this.#journal.bytes > this.#journal.headerBytes || this.#retired.length > 0;
      if (!this.#writer.failure && changed) {
        // The final snapshot replaces every journal; the next open starts a fresh one of the next generation.
        const generation = this.#journal.generation + 1;
        this.#retired.push(this.#journal.path);
        await this.#writeSnapshot(this.#engine.export(generation), generation);
      }
    } finally {
      this.#journal.close();
      this.#engine.close();
      this.#state = "closed";
      this.#log.info("store closed", { path: this.#files.base });
    }
  }

  #maybeRotate(target: AppendTarget, batchBytes: number): (() => Promise<AppendTarget>) | undefined {
    if (this.#snapshotting || target.bytes + batchBytes < this.#options.snapshotBytes) return undefined;
    const old = this.#journal;
    const generation = old.generation + 1;
    const image = this.#engine.export(generation);
    let release!: () => void;
    this.#snapshotting = new Promise((resolve) => (release = resolve));
    const finish = () => {
      this.#snapshotting = undefined;
      release();
    };
    return async () => {
      try {
        this.#journal = await JournalFile.create(this.#files.journal(generation), generation, this.#options);
      } catch (err) {
        // Nothing is lost: journal N stays current and a later batch tries again.
        this.#log.error("cannot start journal", { path: this.#files.journal(generation), err });
        finish();
        return old;
      }
      old.close();
      this.#retired.push(old.path);
      this.#writeSnapshot(image, generation)
        // The journals still hold everything; the next rotation writes a snapshot again, and only then deletes them.
        .catch((err) => this.#log.error("cannot write snapshot", { path: this.#files.snapshot, generation, err }))
        .finally(finish);
      return this.#journal;
    };
  }

  /**
   * Writes the snapshot of `generation`, then deletes the retired journals it makes stale.
   *
   * @throws StoreError `STORE_IO` when the snapshot cannot be written (no journal is deleted then)
   */
  async #writeSnapshot(image: Uint8Array, generation: number): Promise<void> {
    const started = performance.now();
    try {
      await writeFileAtomic(this.#files.snapshot, image, this.#options);
    } catch (err) {
      const reason = (err as Error).message;
      throw new StoreError("STORE_IO", `Cannot write snapshot "${this.#files.snapshot}": ${reason}`, { cause: err });
    }
    const stale = this.#retired;
    this.#retired = [];
    // A delete lost to a crash is harmless: open removes journals older than the snapshot.
    await Promise.all(stale.map((path) => unlink(path).catch(() => {})));
    const ms = Math.round(performance.now() - started);
    this.#log.debug("snapshot written", { path: this.#files.snapshot, generation, bytes: image.length, ms });
  }
}
