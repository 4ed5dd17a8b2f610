import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createLogger } from "../../lib/log/index.ts";
import { ensurePrivateDir, openPrivateFile, openStore, preparePrivateDataDir } from "../../lib/store/index.ts";

const mode = (p: string) => statSync(p).mode & 0o777;

/** Runs `fn` with umask 000, the worst case: every mode the code does not set explicitly comes out world-writable. */
async function withOpenUmask<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "private-fs-"));
  const old = process.umask(0);
  try {
    return await fn(dir);
  } finally {
    process.umask(old);
    rmSync(dir, { recursive: true, force: true });
  }
}

test("ensurePrivateDir() creates 0700 folders and tightens an existing 0755 one", () =>
  withOpenUmask(async (dir) => {
    const fresh = join(dir, "a/b");
    assert.is(await ensurePrivateDir(fresh), false);
    assert.is(mode(join(dir, "a")), 0o700);
    assert.is(mode(fresh), 0o700);
    const old = join(dir, "old");
    mkdirSync(old, { mode: 0o755 });
    assert.is(await ensurePrivateDir(old), true);
    assert.is(mode(old), 0o700);
  }));

test("openPrivateFile() makes a new file and an existing 0644 file 0600", () =>
  withOpenUmask(async (dir) => {
    const existing = join(dir, "x");
    writeFileSync(existing, "old", { mode: 0o644 });
    for (const p of [join(dir, "new"), existing]) {
      const fh = await openPrivateFile(p);
      await fh.close();
      assert.is(mode(p), 0o600, p);
    }
  }));

test("openStore() under umask 000 writes its folder, snapshot and journal private", () =>
  withOpenUmask(async (dir) => {
    const base = join(dir, "data/edge.db");
    const store = await openStore(base, { fsync: false, log: createLogger("t", { level: "error" }) });
    await store.transaction((tx) => tx.run("CREATE TABLE s(v TEXT)"));
    await store.close();
    assert.is(mode(join(dir, "data")), 0o700);
    assert.is(mode(base), 0o600);
    const again = await openStore(base, { fsync: false, log: createLogger("t", { level: "error" }) });
    await again.close();
    for (const p of [base, `${base}.journal.1`, `${base}.journal.2`]) {
      try {
        assert.is(mode(p), 0o600, p);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      }
    }
  }));

test("preparePrivateDataDir() tightens an older dataDir except the kept paths, and logs once", () =>
  withOpenUmask(async (dir) => {
    const data = join(dir, "edge");
    mkdirSync(join(data, "certs"), { recursive: true, mode: 0o755 });
    mkdirSync(join(data, "pods/u1/volumes/secret/s"), { recursive: true, mode: 0o755 });
    writeFileSync(join(data, "edge.db"), "x", { mode: 0o644 });
    writeFileSync(join(data, "certs/node.key"), "k", { mode: 0o644 });
    writeFileSync(join(data, "pods/u1/volumes/secret/s/token"), "t", { mode: 0o644 });
    chmodSync(data, 0o755);
    const lines: string[] = [];
    const log = createLogger("t", { level: "info", write: (l) => lines.push(l) });
    const changed = await preparePrivateDataDir(data, log, { keep: (rel) => rel === "pods/u1/volumes/secret/s" });
    assert.is(mode(data), 0o700);
    assert.is(mode(join(data, "certs")), 0o700);
    assert.is(mode(join(data, "edge.db")), 0o600);
    assert.is(mode(join(data, "certs/node.key")), 0o600);
    assert.is(mode(join(data, "pods/u1/volumes/secret")), 0o700);
    assert.is(mode(join(data, "pods/u1/volumes/secret/s")), 0o755, "a kept volume folder stays readable for containers");
    assert.is(mode(join(data, "pods/u1/volumes/secret/s/token")), 0o644);
    assert.ok(changed >= 8, `changed ${changed}`);
    assert.is(lines.filter((l) => l.includes("made them private")).length, 1, lines.join("\n"));
    assert.is(await preparePrivateDataDir(data, log, { keep: (rel) => rel === "pods/u1/volumes/secret/s" }), 0, "a second start changes nothing");
    assert.is(lines.length, 1);
  }));

test.run();
