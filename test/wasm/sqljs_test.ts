import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadSqlJs } from "../../wasm/sqljs.ts";

test("loadSqlJs() gives a working SQLite from the inline wasm, with independent databases", async () => {
  const SQL = await loadSqlJs();
  const a = new SQL.Database();
  const b = new (await loadSqlJs()).Database();
  a.run("CREATE TABLE t(x)");
  assert.equal(a.exec("SELECT name FROM sqlite_master")[0]!.values, [["t"]]);
  assert.equal(b.exec("SELECT name FROM sqlite_master"), []);
  a.close();
  b.close();
});

test.run();
