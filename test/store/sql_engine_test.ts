import { test } from "uvu";
import * as assert from "uvu/assert";
import { decodeEntry } from "../../lib/store/journal_line.ts";
import { SqlEngine } from "../../lib/store/sql_engine.ts";

test("SqlEngine keeps working when statements are evicted from a small cache", async () => {
  const engine = await SqlEngine.open(undefined, 2);
  engine.run("CREATE TABLE t(a)");
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 5; i++) engine.run(`INSERT INTO t VALUES (? + ${i})`, [round * 10]);
  }
  assert.equal(engine.all("SELECT count(*) AS n, sum(a) AS s FROM t"), [{ n: 15, s: 180 }]);
  engine.close();
});

test("SqlEngine.transaction() records each successful statement, ready to replay into another database", async () => {
  const source = await SqlEngine.open(undefined, 8);
  const target = await SqlEngine.open(undefined, 8);
  const { value, statements } = source.transaction((tx) => {
    tx.run("CREATE TABLE t(a, b)");
    tx.run("INSERT INTO t VALUES (?, ?)", [1, new Uint8Array([7])]);
    try {
      tx.run("INSERT INTO missing VALUES (1)");
    } catch {
      // the failed statement changed nothing and is not recorded
    }
    return tx.run("INSERT INTO t VALUES ($a, $b)", { $a: 2, $b: "x" });
  }, true);
  assert.is(value, 1);
  assert.is(statements.length, 3);
  target.replay(decodeEntry(`[${statements.join(",")}]`));
  assert.equal(target.all("SELECT * FROM t"), source.all("SELECT * FROM t"));
  source.close();
  target.close();
});

test("SqlEngine.transaction() records nothing when not journalling", async () => {
  const engine = await SqlEngine.open(undefined, 8);
  assert.equal(engine.transaction((tx) => tx.run("CREATE TABLE t(a)"), false).statements, []);
  engine.close();
});

test("SqlEngine.export() stamps the generation an engine opened from the image reads back", async () => {
  const engine = await SqlEngine.open(undefined, 8);
  engine.run("CREATE TABLE t(a)");
  engine.run("INSERT INTO t VALUES (?)", ["kept"]);
  const image = engine.export(41);
  engine.run("INSERT INTO t VALUES (?)", ["after export"]);
  const copy = await SqlEngine.open(image, 8);
  assert.is(copy.generation(), 41);
  assert.equal(copy.all("SELECT a FROM t"), [{ a: "kept" }]);
  assert.equal(engine.all("SELECT count(*) AS n FROM t"), [{ n: 2 }]);
  engine.close();
  copy.close();
});

test("SqlEngine.replay() applies nothing when a statement fails", async () => {
  const engine = await SqlEngine.open(undefined, 8);
  engine.run("CREATE TABLE t(a UNIQUE)");
  assert.throws(() => engine.replay([["INSERT INTO t VALUES (1)"], ["INSERT INTO t VALUES (1)"]]), /UNIQUE/);
  assert.equal(engine.all("SELECT * FROM t"), []);
  engine.close();
});

test("SqlEngine.open() rejects with STORE_CORRUPT for bytes that are not a database", async () => {
  try {
    await SqlEngine.open(new TextEncoder().encode("SQLite format 3\0but then garbage".padEnd(4096, "x")), 8);
    assert.unreachable();
  } catch (err) {
    assert.is((err as { code: string }).code, "STORE_CORRUPT");
  }
});

test.run();
