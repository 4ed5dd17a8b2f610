/**
 * Opening a durable store is recovery: a list of named steps (prepare the directory, list the files, remove
 * temporary files, load the snapshot, remove stale journals, replay the journals, open the journal to append to).
 * A failure names its step.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { chmod, copyFile, mkdir, readFile, unlink } from "node:fs/promises";
import { createLogger, type Logger } from "../log/index.ts";
import { DurableStore } from "./durable_store.ts";
import { type JournalContents, JournalFile, readJournal } from "./journal_file.ts";
import { decodeEntry } from "./journal_line.ts";
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "./private_fs.ts";
import { SqlEngine } from "./sql_engine.ts";
import { StoreError } from "./store_error.ts";
import { listStoreFiles, type StoreFiles, storeFiles } from "./store_files.ts";
import type { Store, StoreOptions } from "./types.ts";

const DEFAULTS = {
  snapshotBytes: 4 * 1024 * 1024,
  fsync: true,
  maxPendingBytes: 16 * 1024 * 1024,
  statementCacheEntries: 256,
} satisfies Required<Omit<StoreOptions, "log">>;

type Resolved = typeof DEFAULTS & { log: Logger };

type OpenContext = {
  files: StoreFiles;
  options: Resolved;
  engine?: SqlEngine;
  snapshotGeneration: number;
  journals: number[];
  temps: string[];
  retired: string[];
  journal?: JournalFile;
  replayed: number;
};

type OpenStep = { name: string; run(ctx: OpenContext): Promise<void> };

const SQLITE_MAGIC = Buffer.from("SQLite format 3\0");

function corrupt(message: string, cause?: unknown): StoreError {
  return new StoreError("STORE_CORRUPT", message, { cause });
}

async function prepareDirectory(ctx: OpenContext): Promise<void> {
  // a missing folder is made private; an existing one is the caller's (edge_core and cloud_core tighten their dataDir)
  await mkdir(ctx.files.dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

async function listFiles(ctx: OpenContext): Promise<void> {
  Object.assign(ctx, await listStoreFiles(ctx.files));
}

async function removeTemps(ctx: OpenContext): Promise<void> {
  // A temporary file is a snapshot or journal whose rename never happened: the state it held is still elsewhere.
  await Promise.all(ctx.temps.map((path) => unlink(path)));
}

async function loadSnapshot(ctx: OpenContext): Promise<void> {
  let image: Buffer | undefined;
  try {
    image = await readFile(ctx.files.snapshot);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  if (image && !image.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) {
    throw corrupt(`"${ctx.files.snapshot}" is not a SQLite database`);
  }
  ctx.engine = await SqlEngine.open(image, ctx.options.statementCacheEntries);
  ctx.snapshotGeneration = image ? ctx.engine.generation() : 0;
}

async function removeStaleJournals(ctx: OpenContext): Promise<void> {
  // Journals below the snapshot's generation are inside it already (a crash came before their deletion).
  const stale = ctx.journals.filter((g) => g < ctx.snapshotGeneration);
  await Promise.all(stale.map((g) => unlink(ctx.files.journal(g))));
  ctx.journals = ctx.journals.filter((g) => g >= ctx.snapshotGeneration);
}

async function replayJournals(ctx: OpenContext): Promise<void> {
  for (const [i, generation] of ctx.journals.entries()) {
    const path = ctx.files.journal(generation);
    if (generation !== ctx.snapshotGeneration + i) {
      throw corrupt(`journal ${ctx.snapshotGeneration + i} is missing before "${path}"`);
    }
    const contents = await readJournal(path);
    if (contents.generation !== generation) {
      throw corrupt(`"${path}" has the header of generation ${contents.generation}`);
    }
    replayEntries(ctx, path, contents);
    const last = i === ctx.journals.length - 1;
    if (contents.totalBytes > contents.validBytes) {
      if (!last) throw corrupt(`"${path}" is damaged after byte ${contents.validBytes} and newer journals follow it`);
      await keepDamagedTail(ctx, path, contents);
    }
    if (last) ctx.journal = JournalFile.resume(path, contents, ctx.options);
    else ctx.retired.push(path);
  }
}

function replayEntries(ctx: OpenContext, path: string, contents: JournalContents): void {
  for (const [k, payload] of contents.entries.entries()) {
    try {
      ctx.engine!.replay(decodeEntry(payload));
    } catch (err) {
      throw corrupt(`line ${k + 2} of "${path}" does not replay: ${(err as Error).message}`, err);
    }
  }
  ctx.replayed += contents.entries.length;
}

async function keepDamagedTail(ctx: OpenContext, path: string, contents: JournalContents): Promise<void> {
  const dropped = contents.totalBytes - contents.validBytes;
  const tail = (await readFile(path)).subarray(contents.validBytes);
  // A tail without a newline is the one write a crash interrupted, never acknowledged. Whole lines past a bad one
  // mean damage on disk: keep a copy for whoever investigates.
  if (tail.includes(0x0a)) {
    await copyFile(path, `${path}.dropped`);
    await chmod(`${path}.dropped`, PRIVATE_FILE_MODE);
    ctx.options.log.error("journal damaged, kept a copy and cut it at the last good line", {
      path,
      keptBytes: contents.validBytes,
      droppedBytes: dropped,
      copy: `${path}.dropped`,
    });
  } else {
    ctx.options.log.warn("dropped torn journal tail", { path, droppedBytes: dropped });
  }
}

async function openJournal(ctx: OpenContext): Promise<void> {
  const generation = ctx.snapshotGeneration;
  ctx.journal ??= await JournalFile.create(ctx.files.journal(generation), generation, ctx.options);
}

const STEPS: OpenStep[] = [
  { name: "prepare directory", run: prepareDirectory },
  { name: "list files", run: listFiles },
  { name: "remove temporary files", run: removeTemps },
  { name: "load snapshot", run: loadSnapshot },
  { name: "remove stale journals", run: removeStaleJournals },
  { name: "replay journals", run: replayJournals },
  { name: "open journal", run: openJournal },
];

function resolveOptions(options: StoreOptions): Resolved {
  const resolved = { ...DEFAULTS, log: options.log ?? createLogger("store") };
  for (const key of Object.keys(DEFAULTS) as Array<keyof typeof DEFAULTS>) {
    if (options[key] !== undefined) (resolved as Record<string, unknown>)[key] = options[key];
  }
  for (const key of ["snapshotBytes", "maxPendingBytes", "statementCacheEntries"] as const) {
    if (!Number.isSafeInteger(resolved[key]) || resolved[key] < 1) {
      throw new RangeError(`Cannot open store: option "${key}" must be a positive integer, got ${resolved[key]}`);
    }
  }
  return resolved;
}

/**
 * Opens (creating if absent) the durable store whose snapshot is `path`, recovering every acknowledged transaction:
 * load the snapshot, replay the journals, cut a torn tail. Files: see `store_files.ts`. One process at a time may
 * open a path.
 *
 * @param path the snapshot file, e.g. `<dataDir>/edge.db`; journals sit beside it as `edge.db.journal.<N>`
 * @param options snapshot size, fsync, limits and logger
 * @returns the open store
 * @throws StoreError `STORE_CORRUPT` when the files cannot be recovered, `STORE_IO` when they cannot be read or
 *   written; RangeError for a bad option
 * @example Keep a counter that survives kill -9
 * ```ts
 * const store = await openStore("/tmp/demo/edge.db");
 * await store.transaction((tx) => tx.run("CREATE TABLE IF NOT EXISTS c(n INTEGER)"));
 * await store.transaction((tx) => tx.run("INSERT INTO c VALUES (?)", [1]));
 * console.log(store.get("SELECT count(*) AS n FROM c"));
 * await store.close();
 * ```
 */
export async function openStore(path: string, options: StoreOptions = {}): Promise<Store> {
  const resolved = resolveOptions(options);
  const started = performance.now();
  const ctx: OpenContext = {
    files: storeFiles(path),
    options: resolved,
    snapshotGeneration: 0,
    journals: [],
    temps: [],
    retired: [],
    replayed: 0,
  };
  for (const step of STEPS) {
    try {
      await step.run(ctx);
    } catch (err) {
      ctx.journal?.close();
      ctx.engine?.close();
      const code = err instanceof StoreError ? err.code : "STORE_IO";
      const reason = (err as Error).message;
      throw new StoreError(code, `Cannot open store "${path}": ${step.name}: ${reason}`, { cause: err });
    }
  }
  resolved.log.info("store opened", {
    path,
    generation: ctx.journal!.generation,
    replayed: ctx.replayed,
    ms: Math.round(performance.now() - started),
  });
  return new DurableStore({
    engine: ctx.engine!,
    files: ctx.files,
    journal: ctx.journal!,
    retiredJournals: ctx.retired,
    options: resolved,
  });
}
