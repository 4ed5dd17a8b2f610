import { test } from "uvu";
import * as assert from "uvu/assert";
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeAtomicDir } from "../../../lib/edge/edged/atomic_dir.ts";

const file = (s: string, mode = 0o644) => ({ data: Buffer.from(s), mode });

test("writeAtomicDir() exposes files through ..data links with their modes", async () => {
  const dir = mkdtempSync(join(tmpdir(), "atomic-"));
  try {
    assert.ok(await writeAtomicDir(dir, new Map([["a.txt", file("A", 0o600)], ["sub/b.txt", file("B")]])));
    assert.is(readFileSync(join(dir, "a.txt"), "utf8"), "A");
    assert.is(readFileSync(join(dir, "sub/b.txt"), "utf8"), "B");
    assert.ok(lstatSync(join(dir, "a.txt")).isSymbolicLink());
    assert.is(readlinkSync(join(dir, "a.txt")), "..data/a.txt");
    assert.is(statSync(join(dir, "a.txt")).mode & 0o777, 0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("writeAtomicDir() swaps content in one rename, drops removed names, and skips identical content", async () => {
  const dir = mkdtempSync(join(tmpdir(), "atomic-"));
  try {
    await writeAtomicDir(dir, new Map([["a", file("1")], ["b", file("1")]]));
    const first = readlinkSync(join(dir, "..data"));
    assert.ok(await writeAtomicDir(dir, new Map([["a", file("2")]])));
    assert.is.not(readlinkSync(join(dir, "..data")), first);
    assert.is(readFileSync(join(dir, "a"), "utf8"), "2");
    assert.equal(readdirSync(dir).filter((n) => !n.startsWith("..")), ["a"]);
    assert.is(readdirSync(dir).filter((n) => n.startsWith("..") && n !== "..data").length, 1, "the old version is gone");
    assert.not.ok(await writeAtomicDir(dir, new Map([["a", file("2")]])));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("writeAtomicDir() refuses paths that leave the directory", async () => {
  for (const bad of ["../x", "/etc/passwd", "a/../../b", "..data"]) {
    try {
      await writeAtomicDir("/tmp/never-made", new Map([[bad, file("x")]]));
      assert.unreachable(bad);
    } catch (e) {
      assert.match((e as Error).message, /must be relative/);
    }
  }
});

test.run();
