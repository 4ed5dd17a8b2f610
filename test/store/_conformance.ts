/**
 * The behaviour every Store implementation shares, run against each of them by their own test file.
 *
 * @module
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type Store, StoreError } from "../../lib/store/index.ts";

/** Opens a fresh, empty store and says how to dispose of it. */
export type OpenFresh = () => Promise<{ store: Store; dispose(): Promise<void> }>;

async function rejects(p: Promise<unknown>): Promise<unknown> {
  const outcome = await p.then(() => undefined, (err: unknown) => ({ err }));
  assert.ok(outcome, "expected a rejection");
  return outcome!.err;
}

function throws(fn: () => unknown): unknown {
  let outcome: { err: unknown } | undefined;
  try {
    fn();
  } catch (err) {
    outcome = { err };
  }
  assert.ok(outcome, "expected a throw");
  return outcome!.err;
}

/** Registers and runs the conformance suite for one implementation. */
export function runStoreConformance(name: string, openFresh: OpenFresh): void {
  const t = suite<{ store: Store; dispose(): Promise<void> }>(`${name} conformance`);
  t.before.each(async (ctx) => {
    Object.assign(ctx, await openFresh());
    await ctx.store.transaction((tx) => tx.run("CREATE TABLE kv(k TEXT PRIMARY KEY, v)"));
  });
  t.after.each(async (ctx) => {
    await ctx.dispose();
  });

  t("transaction() commits every statement of the body and resolves with its value", async ({ store }) => {
    const value = await store.transaction((tx) => {
      tx.run("INSERT INTO kv VALUES (?, ?)", ["a", 1]);
      tx.run("INSERT INTO kv VALUES (?, ?)", ["b", 2]);
      return "done";
    });
    assert.is(value, "done");
    assert.equal(store.all("SELECT k, v FROM kv ORDER BY k"), [{ k: "a", v: 1 }, { k: "b", v: 2 }]);
  });

  t("transaction() applies nothing and rejects with the body's error when the body throws", async ({ store }) => {
    const boom = new Error("boom");
    const err = await rejects(store.transaction((tx) => {
      tx.run("INSERT INTO kv VALUES (?, ?)", ["a", 1]);
      throw boom;
    }));
    assert.is(err, boom);
    assert.equal(store.all("SELECT * FROM kv"), []);
  });

  t("run() returns the number of rows changed", async ({ store }) => {
    const changed = await store.transaction((tx) => {
      tx.run("INSERT INTO kv VALUES ('a', 1), ('b', 1), ('c', 2)");
      return tx.run("UPDATE kv SET v = v + 10 WHERE v = ?", [1]);
    });
    assert.is(changed, 2);
  });

  t("run() binds positional and named parameters", async ({ store }) => {
    await store.transaction((tx) => {
      tx.run("INSERT INTO kv VALUES (?, ?)", ["pos", "p"]);
      tx.run("INSERT INTO kv VALUES ($k, $v)", { $k: "named", $v: "n" });
    });
    assert.equal(store.get("SELECT v FROM kv WHERE k = $k", { $k: "named" }), { v: "n" });
    assert.equal(store.get("SELECT v FROM kv WHERE k = ?", ["pos"]), { v: "p" });
  });

  t("run() stores Uint8Array values and reads them back byte for byte", async ({ store }) => {
    const big = new Uint8Array(100_000).map((_, i) => (i * 31) & 255);
    await store.transaction((tx) => {
      tx.run("INSERT INTO kv VALUES (?, ?)", ["big", big]);
      tx.run("INSERT INTO kv VALUES ($k, $v)", { $k: "empty", $v: new Uint8Array(0) });
    });
    assert.equal(store.get<{ v: Uint8Array }>("SELECT v FROM kv WHERE k = 'big'")!.v, big);
    assert.equal(store.get<{ v: Uint8Array }>("SELECT v FROM kv WHERE k = 'empty'")!.v, new Uint8Array(0));
  });

  t("get() returns undefined when no row matches", async ({ store }) => {
    assert.is(store.get("SELECT * FROM kv WHERE k = ?", ["none"]), undefined);
  });

  t("tx.all() and tx.get() see the transaction's own writes", async ({ store }) => {
    const seen = await store.transaction((tx) => {
      tx.run("INSERT INTO kv VALUES (?, ?)", ["a", 1]);
      return [tx.all("SELECT k FROM kv"), tx.get("SELECT count(*) AS n FROM kv")];
    });
    assert.equal(seen, [[{ k: "a" }], { n: 1 }]);
  });

  t("run() without parameters runs every statement of a script", async ({ store }) => {
    await store.transaction((tx) => tx.run("CREATE TABLE x(a); CREATE INDEX x_a ON x(a); INSERT INTO x VALUES (1);"));
    assert.equal(store.all("SELECT name FROM sqlite_master WHERE tbl_name = 'x' ORDER BY name"), [{ name: "x" }, { name: "x_a" }]);
  });

  t("transaction() rejects with STORE_CONSTRAINT and applies nothing on a duplicate key", async ({ store }) => {
    const err = await rejects(store.transaction((tx) => {
      tx.run("INSERT INTO kv VALUES (?, ?)", ["a", 1]);
      tx.run("INSERT INTO kv VALUES (?, ?)", ["a", 2]);
    }));
    assert.instance(err, StoreError);
    assert.is((err as StoreError).code, "STORE_CONSTRAINT");
    assert.match((err as Error).message, /UNIQUE constraint failed: kv.k/);
    assert.equal(store.all("SELECT * FROM kv"), []);
  });

  t("a failed statement the body catches changes nothing, and the rest commits", async ({ store }) => {
    await store.transaction((tx) => {
      tx.run("INSERT INTO kv VALUES (?, ?)", ["a", 1]);
      try {
        tx.run("INSERT INTO kv VALUES (?, ?)", ["a", 2]);
      } catch {
        tx.run("UPDATE kv SET v = 3 WHERE k = 'a'");
      }
    });
    assert.equal(store.all("SELECT * FROM kv"), [{ k: "a", v: 3 }]);
  });

  t("all() throws STORE_SQL naming the statement when SQLite rejects it", ({ store }) => {
    const err = throws(() => store.all("SELECT * FROM missing"));
    assert.is((err as StoreError).code, "STORE_SQL");
    assert.match((err as Error).message, /Cannot run statement "SELECT \* FROM missing": no such table: missing/);
  });

  t("all() and get() outside a transaction refuse a writing statement, which would bypass the journal", ({ store }) => {
    assert.instance(throws(() => store.all("INSERT INTO kv VALUES ('a', 1)")), TypeError);
    const err = throws(() => store.get(" delete FROM kv"));
    assert.match((err as Error).message, /^Cannot read with " delete FROM kv": writes go through a transaction$/);
  });

  t("tx.all() and tx.get() run INSERT ... RETURNING and return its rows", async ({ store }) => {
    const rows = await store.transaction((tx) => [
      tx.get("INSERT INTO kv VALUES (?, ?) RETURNING k", ["a", 1]),
      tx.all("UPDATE kv SET v = v + 1 RETURNING v"),
    ]);
    assert.equal(rows, [{ k: "a" }, [{ v: 2 }]]);
    assert.equal(store.all("SELECT * FROM kv"), [{ k: "a", v: 2 }]);
  });

  t("transaction() rejects a body that returns a promise, and applies nothing", async ({ store }) => {
    const err = await rejects(store.transaction(async (tx) => tx.run("INSERT INTO kv VALUES ('a', 1)")));
    assert.instance(err, TypeError);
    assert.equal(store.all("SELECT * FROM kv"), []);
  });

  t("a Tx used after its body returned throws STORE_TX_FINISHED", async ({ store }) => {
    let kept: { run(sql: string): number } | undefined;
    await store.transaction((tx) => {
      kept = tx;
    });
    assert.is((throws(() => kept!.run("DELETE FROM kv")) as StoreError).code, "STORE_TX_FINISHED");
  });

  t("transaction() called inside a body rejects with STORE_NESTED", async ({ store }) => {
    let inner: Promise<unknown> | undefined;
    await store.transaction(() => {
      inner = store.transaction(() => 1);
    });
    assert.is(((await rejects(inner!)) as StoreError).code, "STORE_NESTED");
  });

  t("concurrent transactions all commit, in call order", async ({ store }) => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.transaction((tx) => {
      tx.run("INSERT INTO kv VALUES (?, ?)", [`k${i}`, i]);
    })));
    const rows = store.all<{ v: number }>("SELECT v FROM kv ORDER BY rowid");
    assert.equal(rows.map((r) => r.v), Array.from({ length: 50 }, (_, i) => i));
  });

  t("a closed store rejects transactions and reads with STORE_CLOSED", async ({ store }) => {
    await store.close();
    const err = await rejects(store.transaction((tx) => tx.run("DELETE FROM kv")));
    assert.instance(err, StoreError);
    assert.is((err as StoreError).code, "STORE_CLOSED");
    assert.is((throws(() => store.all("SELECT 1")) as StoreError).code, "STORE_CLOSED");
    assert.is((throws(() => store.get("SELECT 1")) as StoreError).code, "STORE_CLOSED");
  });

  t.run();
}
