import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { openStore, type Store } from "../../lib/store/index.ts";
import { runStoreConformance } from "./_conformance.ts";
import { crashCopy, quiet, sizes, tempDir } from "./_files.ts";

runStoreConformance("openStore()", async () => {
  const { dir, remove } = tempDir();
  const store = await openStore(join(dir, "edge.db"), quiet);
  return { store, dispose: async () => (await store.close(), remove()) };
});

async function withStore(options: object, body: (store: Store, dir: string) => Promise<void>): Promise<void> {
  const { dir, remove } = tempDir();
  const store = await openStore(join(dir, "edge.db"), { ...quiet, ...options });
  try {
    await body(store, dir);
  } finally {
    await store.close();
    remove();
  }
}

test("openStore() after close() sees every committed value, with its type", async () => {
  const { dir, remove } = tempDir();
  const path = join(dir, "edge.db");
  const values = ["text ü ✓ \n\"quoted\"", 42, -7.25, 2 ** 53 - 1, null, new Uint8Array([0, 1, 255]), Infinity, -Infinity];
  const store = await openStore(path, quiet);
  await store.transaction((tx) => {
    tx.run("CREATE TABLE v(i INTEGER PRIMARY KEY, x)");
    values.forEach((x, i) => tx.run("INSERT INTO v VALUES (?, ?)", [i, x]));
  });
  await store.close();
  const again = await openStore(path, quiet);
  assert.equal(again.all("SELECT x FROM v ORDER BY i").map((r) => r.x), values);
  await again.close();
  remove();
});

test("a crash after commit keeps every acknowledged transaction (journal replay)", async () => {
  await withStore({}, async (store, dir) => {
    await store.transaction((tx) => tx.run("CREATE TABLE v(i INTEGER PRIMARY KEY, b BLOB)"));
    const params: [number, Uint8Array] = [0, new Uint8Array(0)];
    await store.transaction((tx) => {
      // The body reuses one params array: each statement must be journalled with the values it was bound with.
      for (let i = 0; i < 5; i++) {
        params[0] = i;
        params[1] = new Uint8Array([i, i]);
        tx.run("INSERT INTO v VALUES (?, ?)", params);
      }
    });
    await store.transaction((tx) => tx.run("DELETE FROM v WHERE i = $i", { $i: 3 }));
    // A write made through tx.get (UPDATE ... RETURNING) is journalled too.
    await store.transaction((tx) => tx.get("UPDATE v SET b = ? WHERE i = 4 RETURNING i", [new Uint8Array([9, 9])]));
    const copy = crashCopy(dir);
    const recovered = await openStore(join(copy, "edge.db"), quiet);
    const expected = [0, 1, 2, 4].map((i) => ({ i, b: new Uint8Array(i === 4 ? [9, 9] : [i, i]) }));
    assert.equal(recovered.all("SELECT i, b FROM v ORDER BY i"), expected);
    await recovered.close();
    rmSync(copy, { recursive: true });
  });
});

test("a rolled back transaction leaves nothing in the journal", async () => {
  await withStore({}, async (store, dir) => {
    await store.transaction((tx) => tx.run("CREATE TABLE v(i)"));
    await store.transaction((tx) => {
      tx.run("INSERT INTO v VALUES (1)");
      throw new Error("no");
    }).catch(() => {});
    const copy = crashCopy(dir);
    const recovered = await openStore(join(copy, "edge.db"), quiet);
    assert.equal(recovered.all("SELECT * FROM v"), []);
    await recovered.close();
    rmSync(copy, { recursive: true });
  });
});

test("close() writes a snapshot and removes the journal", async () => {
  const { dir, remove } = tempDir();
  const store = await openStore(join(dir, "edge.db"), quiet);
  await store.transaction((tx) => tx.run("CREATE TABLE v(i)"));
  await store.close();
  assert.equal(Object.keys(sizes(dir)), ["edge.db"]);
  remove();
});

test("snapshots keep the files bounded under churn, and reopening sees the final state", async () => {
  const snapshotBytes = 32 * 1024;
  await withStore({ snapshotBytes }, async (store, dir) => {
    await store.transaction((tx) => tx.run("CREATE TABLE v(k INTEGER PRIMARY KEY, body TEXT)"));
    let maxJournal = 0;
    let maxTotal = 0;
    const body = "x".repeat(200);
    for (let round = 0; round < 40; round++) {
      // 8 concurrent writers rewrite the same 50 rows: the live data stays small while the history grows.
      await Promise.all(Array.from({ length: 8 }, (_, w) => (async () => {
        for (let i = 0; i < 10; i++) {
          await store.transaction((tx) => tx.run("INSERT OR REPLACE INTO v VALUES (?, ?)", [(w * 10 + i) % 50, `${round}${body}`]));
        }
      })()));
      const s = sizes(dir);
      const journal = Math.max(0, ...Object.entries(s).filter(([f]) => f.includes(".journal.")).map(([, n]) => n));
      maxJournal = Math.max(maxJournal, journal);
      maxTotal = Math.max(maxTotal, Object.values(s).reduce((a, b) => a + b, 0));
    }
    // 40 rounds wrote ~700 KB of journal lines; without snapshots the journal would hold all of them. A journal may
    // pass snapshotBytes by what commits while a snapshot is being written, which a busy disk makes longer.
    assert.ok(maxJournal < 4 * snapshotBytes, `journal reached ${maxJournal} bytes`);
    assert.ok(maxTotal < 8 * snapshotBytes, `files reached ${maxTotal} bytes`);
    const copy = crashCopy(dir);
    const recovered = await openStore(join(copy, "edge.db"), quiet);
    assert.equal(recovered.get("SELECT count(*) AS n, min(body) = max(body) AS same FROM v"), { n: 50, same: 1 });
    assert.ok(recovered.get<{ body: string }>("SELECT body FROM v")!.body.startsWith("39"));
    await recovered.close();
    rmSync(copy, { recursive: true });
  });
});

test("transaction() waits while the journal queue is full, and every transaction still commits in order", async () => {
  await withStore({ maxPendingBytes: 1 }, async (store, dir) => {
    await store.transaction((tx) => tx.run("CREATE TABLE v(i)"));
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.transaction((tx) => tx.run("INSERT INTO v VALUES (?)", [i]))));
    const copy = crashCopy(dir);
    const recovered = await openStore(join(copy, "edge.db"), quiet);
    assert.equal(recovered.all<{ i: number }>("SELECT i FROM v ORDER BY rowid").map((r) => r.i), Array.from({ length: 30 }, (_, i) => i));
    await recovered.close();
    rmSync(copy, { recursive: true });
  });
});

test("a read-only transaction resolves with its value", async () => {
  await withStore({}, async (store) => {
    await store.transaction((tx) => tx.run("CREATE TABLE v(i)"));
    const pending = store.transaction((tx) => tx.run("INSERT INTO v VALUES (1)"));
    assert.equal(await store.transaction((tx) => tx.get("SELECT count(*) AS n FROM v")), { n: 1 });
    await pending;
  });
});

test("close() resolves for every caller and leaves the store closed", async () => {
  const { dir, remove } = tempDir();
  const store = await openStore(join(dir, "edge.db"), quiet);
  await store.transaction((tx) => tx.run("CREATE TABLE v(i)"));
  const writes = Array.from({ length: 20 }, (_, i) => store.transaction((tx) => tx.run("INSERT INTO v VALUES (?)", [i])));
  await Promise.all([store.close(), store.close(), ...writes]);
  assert.ok(existsSync(join(dir, "edge.db")));
  const again = await openStore(join(dir, "edge.db"), quiet);
  assert.equal(again.get("SELECT count(*) AS n FROM v"), { n: 20 });
  await again.close();
  remove();
});

test.run();
