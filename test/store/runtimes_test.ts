import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { tempDir } from "./_files.ts";
import { requireTool } from "../support/skip.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const script = join(root, "test/fixtures/store_roundtrip.ts");
const RUN_TIMEOUT_MS = 60_000;

const runtimes: Array<{ name: string; bin: string; args: string[] }> = [
  { name: "node", bin: process.execPath, args: ["--import", "tsx", script] },
  { name: "bun", bin: join(root, "node_modules/.bin/bun"), args: ["run", script] },
  { name: "deno", bin: join(root, "node_modules/.bin/deno"), args: ["run", "-A", script] },
];

for (const { name, bin, args } of runtimes) {
  test(`openStore() commits, snapshots, reopens and reads back under ${name}`, () => {
    // Bun and Deno come with npm install (devDependencies): missing in CI is a failure
    if (!requireTool(name, existsSync(bin) ? bin : undefined)) return;
    const { dir, remove } = tempDir();
    try {
      const run = spawnSync(bin, [...args, dir], { cwd: root, encoding: "utf8", timeout: RUN_TIMEOUT_MS });
      assert.is(run.status, 0, `${name} exited ${run.status} ${run.signal ?? ""}:\n${run.stdout}${run.stderr}`);
      assert.match(run.stdout, new RegExp(`^ok ${name} 200$`, "m"));
    } finally {
      remove();
    }
  });
}

test.run();
