import { test } from "uvu";
import * as assert from "uvu/assert";
import { sqlError, StoreError } from "../../lib/store/store_error.ts";

test("StoreError carries its code, message and cause", () => {
  const cause = new Error("EIO");
  const err = new StoreError("STORE_IO", "Cannot write journal: EIO", { cause });
  assert.instance(err, Error);
  assert.is(err.name, "StoreError");
  assert.is(err.code, "STORE_IO");
  assert.is(err.cause, cause);
});

test("sqlError() maps constraint failures to STORE_CONSTRAINT and shortens long SQL", () => {
  const err = sqlError(`INSERT INTO objects VALUES (${"?, ".repeat(40)}?)`, new Error("UNIQUE constraint failed: objects.key"));
  assert.is(err.code, "STORE_CONSTRAINT");
  assert.match(err.message, /^Cannot run statement "INSERT INTO objects VALUES \(\?, .{30,}\.\.\.": UNIQUE constraint failed: objects.key$/);
  assert.is(sqlError("SELEC 1", new Error("near \"SELEC\": syntax error")).code, "STORE_SQL");
});

test("sqlError() returns a StoreError unchanged", () => {
  const inner = new StoreError("STORE_TX_FINISHED", "Cannot use transaction: its body already returned");
  assert.is(sqlError("SELECT 1", inner), inner);
});

test.run();
