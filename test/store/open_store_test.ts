import { appendFileSync, copyFileSync, existsSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createLogger } from "../../lib/log/index.ts";
import { openStore, type Store, StoreError } from "../../lib/store/index.ts";
import { JournalFile } from "../../lib/store/journal_file.ts";
import { encodeEntry, encodeStatement } from "../../lib/store/journal_line.ts";
import { crashCopy, quiet, sizes, tempDir } from "./_files.ts";

async function rejects(p: Promise<unknown>): Promise<StoreError> {
  const outcome = await p.then(() => undefined, (err: unknown) => ({ err }));
  assert.ok(outcome, "expected a rejection");
  assert.instance(outcome!.err, StoreError);
  return outcome!.err as StoreError;
}

/** A store with table n(i) and the rows 1..count, each in its own transaction, left open (as if crashed). */
async function crashedStore(count: number): Promise<{ dir: string; store: Store; remove(): void }> {
  const { dir, remove } = tempDir();
  const store = await openStore(join(dir, "edge.db"), quiet);
  await store.transaction((tx) => tx.run("CREATE TABLE n(i INTEGER PRIMARY KEY)"));
  for (let i = 1; i <= count; i++) await store.transaction((tx) => tx.run("INSERT INTO n VALUES (?)", [i]));
  const copy = crashCopy(dir);
  return { dir: copy, store, remove: () => (rmSync(copy, { recursive: true }), remove()) };
}

async function rowsAfterOpen(dir: string, options = {}): Promise<number[]> {
  const store = await openStore(join(dir, "edge.db"), { ...quiet, ...options });
  const rows = store.all<{ i: number }>("SELECT i FROM n ORDER BY i").map((r) => r.i);
  await store.close();
  return rows;
}

test("openStore() creates missing directories and an empty store", async () => {
  const { dir, remove } = tempDir();
  const store = await openStore(join(dir, "a", "b", "edge.db"), quiet);
  assert.equal(store.all("SELECT name FROM sqlite_master"), []);
  await store.close();
  remove();
});

test("openStore() drops a torn last line and keeps every earlier one", async () => {
  const { dir, store, remove } = await crashedStore(5);
  const journal = join(dir, "edge.db.journal.0");
  const full = readFileSync(journal).length;
  truncateSync(journal, full - 7);
  const lines: string[] = [];
  const log = createLogger("store", { write: (l) => lines.push(l) });
  assert.equal(await rowsAfterOpen(dir, { log }), [1, 2, 3, 4]);
  assert.ok(lines.some((l) => /WARN .*dropped torn journal tail/.test(l)), lines.join("\n"));
  await store.close();
  remove();
});

test("openStore() cuts the torn tail so transactions committed after reopening survive the next crash", async () => {
  const { dir, store, remove } = await crashedStore(3);
  appendFileSync(join(dir, "edge.db.journal.0"), "0badc0de [[\"INSERT INTO n VALUES (9");
  const reopened = await openStore(join(dir, "edge.db"), quiet);
  await reopened.transaction((tx) => tx.run("INSERT INTO n VALUES (?)", [4]));
  const copy = crashCopy(dir);
  assert.equal(await rowsAfterOpen(copy), [1, 2, 3, 4]);
  await reopened.close();
  await store.close();
  rmSync(copy, { recursive: true });
  remove();
});

test("openStore() stops at a line whose checksum fails, keeps the lines before it and a copy of the file", async () => {
  const { dir, store, remove } = await crashedStore(5);
  const journal = join(dir, "edge.db.journal.0");
  const text = readFileSync(journal, "utf8");
  // Flip one digit inside the line that inserts 3: its checksum no longer matches.
  writeFileSync(journal, text.replace("[3]]", "[8]]"));
  assert.equal(await rowsAfterOpen(dir), [1, 2]);
  assert.ok(existsSync(`${journal}.dropped`));
  assert.match(readFileSync(`${journal}.dropped`, "utf8"), /\[8\]\]/);
  await store.close();
  remove();
});

test("openStore() replays both journals after a crash between starting a journal and renaming the snapshot", async () => {
  const { dir, store, remove } = await crashedStore(2);
  // The state after rotation step 3: journal 1 exists and holds later commits, the snapshot is not written yet.
  const next = await JournalFile.create(join(dir, "edge.db.journal.1"), 1, { fsync: false });
  await next.append(encodeEntry([encodeStatement(JSON.stringify("INSERT INTO n VALUES (?)"), [3])]));
  next.close();
  assert.equal(await rowsAfterOpen(dir), [1, 2, 3]);
  assert.equal(Object.keys(sizes(dir)), ["edge.db"]);
  await store.close();
  remove();
});

test("openStore() ignores a journal the snapshot already holds (crash before it was deleted)", async () => {
  const { dir, store, remove } = await crashedStore(3);
  const journal = join(dir, "edge.db.journal.0");
  copyFileSync(journal, `${dir}/saved`);
  assert.equal(await rowsAfterOpen(dir), [1, 2, 3]);
  // close() wrote snapshot 1 and deleted journal 0; bring the old journal back, as a crash before the delete would.
  copyFileSync(`${dir}/saved`, journal);
  rmSync(`${dir}/saved`);
  assert.equal(await rowsAfterOpen(dir), [1, 2, 3]);
  assert.not.ok(existsSync(journal));
  await store.close();
  remove();
});

test("openStore() removes a half-written snapshot and keeps the real one", async () => {
  const { dir, store, remove } = await crashedStore(2);
  writeFileSync(join(dir, "edge.db.tmp"), "SQLite format 3\0 half");
  assert.equal(await rowsAfterOpen(dir), [1, 2]);
  assert.not.ok(existsSync(join(dir, "edge.db.tmp")));
  await store.close();
  remove();
});

test("openStore() rejects with STORE_CORRUPT when a journal generation is missing", async () => {
  const { dir, store, remove } = await crashedStore(1);
  (await JournalFile.create(join(dir, "edge.db.journal.2"), 2, { fsync: false })).close();
  const err = await rejects(openStore(join(dir, "edge.db"), quiet));
  assert.is(err.code, "STORE_CORRUPT");
  assert.match(err.message, /^Cannot open store ".*edge.db": replay journals: journal 1 is missing/);
  await store.close();
  remove();
});

test("openStore() rejects with STORE_CORRUPT when the snapshot is not a SQLite database", async () => {
  const { dir, remove } = tempDir();
  writeFileSync(join(dir, "edge.db"), "not a database at all");
  const err = await rejects(openStore(join(dir, "edge.db"), quiet));
  assert.is(err.code, "STORE_CORRUPT");
  assert.match(err.message, /load snapshot: .* is not a SQLite database/);
  remove();
});

test("openStore() rejects with STORE_CORRUPT when a journal's header is damaged", async () => {
  const { dir, store, remove } = await crashedStore(1);
  writeFileSync(join(dir, "edge.db.journal.0"), "garbage\n");
  assert.is((await rejects(openStore(join(dir, "edge.db"), quiet))).code, "STORE_CORRUPT");
  await store.close();
  remove();
});

test("openStore() rejects a bad option with RangeError", async () => {
  try {
    await openStore("/tmp/never/edge.db", { snapshotBytes: 0 });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, RangeError);
    assert.match((err as Error).message, /option "snapshotBytes" must be a positive integer, got 0/);
  }
});

test.run();
