import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { VERSION } from "../../lib/version.ts";
import { ROOT, runToEnd, tsArgs } from "../support/process.ts";

const out = mkdtempSync(join(tmpdir(), "build-test-"));
const build = (...args: string[]) => runToEnd(...tsArgs(join(ROOT, "build.ts"), ...args), { timeoutMs: 120_000 });

test.after(() => rmSync(out, { recursive: true, force: true }));

test("build.ts --arch x64 --target edge writes a binary that prints its version", async () => {
  const r = await build("--arch", "x64", "--target", "edge", "--out", out);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /edge_core-linux-x64\s+[\d.]+ MB .* ok/);
  assert.match(r.stdout, /1 built, 0 failed/);
  assert.match(r.stderr, /smoke ok target=edge_core-linux-x64/);
  const run = await runToEnd(join(out, "edge_core-linux-x64"), ["--version"]);
  assert.is(run.code, 0);
  assert.is(run.stdout, `edge_core ${VERSION}\n`);
});

test("build.ts lists each binary with its SHA-256 in SHA256SUMS", () => {
  const sums = readFileSync(join(out, "SHA256SUMS"), "utf8");
  const hash = createHash("sha256").update(readFileSync(join(out, "edge_core-linux-x64"))).digest("hex");
  assert.is(sums, `${hash}  edge_core-linux-x64\n`);
});

test("build.ts the binary needs nothing beside it: it runs from an empty folder with an empty environment", async () => {
  const dir = mkdtempSync(join(tmpdir(), "build-test-alone-"));
  try {
    const r = await runToEnd(join(out, "edge_core-linux-x64"), ["--help"], { cwd: dir, env: {} });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Usage: edge_core --config FILE/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("build.ts refuses an unknown --arch with exit code 2 and builds nothing", async () => {
  const dir = mkdtempSync(join(tmpdir(), "build-test-bad-"));
  try {
    const r = await build("--arch", "mips", "--out", dir);
    assert.is(r.code, 2);
    assert.match(r.stderr, /--arch: expected one of x64, arm64, armv7, armv6, arm, all, got "mips"/);
    assert.not.ok(existsSync(join(dir, "SHA256SUMS")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
