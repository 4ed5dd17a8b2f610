import { appendFileSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { JournalFile, readJournal } from "../../lib/store/journal_file.ts";
import { encodeEntry, encodeStatement } from "../../lib/store/journal_line.ts";
import { tempDir } from "./_files.ts";

const entry = (i: number) => encodeEntry([encodeStatement("\"INSERT INTO t VALUES (?)\"", [i])]);

test("JournalFile.create() writes only a header, and append() adds whole lines readJournal() returns", async () => {
  const { dir, remove } = tempDir();
  const path = join(dir, "j.3");
  const file = await JournalFile.create(path, 3, { fsync: true });
  assert.is(file.bytes, file.headerBytes);
  await file.append(entry(1) + entry(2));
  await file.append(entry(3));
  assert.is(file.bytes, statSync(path).size);
  file.close();
  const contents = await readJournal(path);
  assert.is(contents.generation, 3);
  assert.equal(contents.entries.map((p) => JSON.parse(p)[0][1][0]), [1, 2, 3]);
  assert.is(contents.validBytes, contents.totalBytes);
  remove();
});

test("readJournal() stops at a torn line and JournalFile.resume() cuts it before appending", async () => {
  const { dir, remove } = tempDir();
  const path = join(dir, "j.0");
  const file = await JournalFile.create(path, 0, { fsync: false });
  await file.append(entry(1));
  file.close();
  const good = statSync(path).size;
  appendFileSync(path, entry(2).slice(0, 10));
  const contents = await readJournal(path);
  assert.is(contents.entries.length, 1);
  assert.is(contents.validBytes, good);
  assert.is(contents.totalBytes, good + 10);
  const resumed = JournalFile.resume(path, contents, { fsync: false });
  await resumed.append(entry(3));
  resumed.close();
  assert.equal((await readJournal(path)).entries.map((p) => JSON.parse(p)[0][1][0]), [1, 3]);
  assert.not.match(readFileSync(path, "utf8"), /\n[^\n]*\n[^\n]*\n[^\n]*\n/);
  remove();
});

test("readJournal() rejects with STORE_IO naming the file when it cannot be read", async () => {
  try {
    await readJournal("/nonexistent/j.0");
    assert.unreachable();
  } catch (err) {
    assert.is((err as { code: string }).code, "STORE_IO");
    assert.match((err as Error).message, /^Cannot read journal "\/nonexistent\/j.0": ENOENT/);
  }
});

test.run();
