import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { buildSync } from "esbuild";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { silentLogger } from "../../lib/log/index.ts";
import { openStore, type Store } from "../../lib/store/index.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const ROUNDS = 50;
const WRITERS = 8;
const SNAPSHOT_BYTES = 32 * 1024;
const NUMBERS_PER_ROUND = 10_000_000;
// The kill lands once the writer has acknowledged a random number of transactions: a random instant in the
// store's work rather than in wall time, so a loaded machine exercises as many snapshots as an idle one.
const MAX_KILL_AFTER_ACKS = 600;
const READY_TIMEOUT_MS = 20_000;

type Round = { acked: number[]; killAfter: number };

/**
 * Bundles test/fixtures/store_writer.ts (the store's own source, unchanged) into one file. A child then starts in a
 * quarter of the time `node --import tsx` takes, which keeps 50 kills well inside the time budget of a test file.
 */
function bundleWriter(dir: string): string {
  const outfile = join(dir, "store_writer.mjs");
  buildSync({
    entryPoints: [join(root, "test/fixtures/store_writer.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "error",
    // sql.js's Emscripten glue calls require() for Node builtins; an ES module has to provide it.
    banner: { js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);' },
  });
  return outfile;
}

/** Runs the writer until it has acknowledged a random count, kills it with SIGKILL, returns what it acknowledged. */
function runAndKill(writer: string, path: string, first: number): Promise<Round> {
  return new Promise((resolve, reject) => {
    const args = [writer, path, String(first), String(WRITERS), String(SNAPSHOT_BYTES)];
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    const killAfter = Math.floor(Math.random() * MAX_KILL_AFTER_ACKS);
    let out = "";
    let err = "";
    let killed = false;
    const readyTimer = setTimeout(() => child.kill("SIGKILL"), READY_TIMEOUT_MS);
    let lines = 0;
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      for (const ch of d) if (ch === "\n") lines++;
      // the first line is "ready"; every later one is an acknowledged number
      if (!killed && out.startsWith("ready\n") && lines - 1 >= killAfter) {
        killed = true;
        clearTimeout(readyTimer);
        child.kill("SIGKILL");
      }
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(readyTimer);
      if (!killed || signal !== "SIGKILL") {
        reject(new Error(`writer ended with ${code ?? signal} before it was killed:\n${err}`));
        return;
      }
      // Only whole lines count: a number is acknowledged once its newline is out.
      const whole = out.split("\n").slice(1, -1);
      resolve({ acked: whole.map(Number), killAfter });
    });
  });
}

function check(store: Store, round: number, { acked, killAfter }: Round): void {
  const where = `round ${round} (killed after ${killAfter} acknowledgements)`;
  assert.equal(store.all("PRAGMA integrity_check"), [{ integrity_check: "ok" }], where);
  const { c } = store.get<{ c: number }>("SELECT c FROM counter")!;
  const { n } = store.get<{ n: number }>("SELECT count(*) AS n FROM items")!;
  assert.is(c, n, `${where}: counter ${c} but ${n} items`);
  const first = round * NUMBERS_PER_ROUND;
  const rows = store.all<{ n: number }>("SELECT n FROM items WHERE n >= ? AND n < ?", [first, first + NUMBERS_PER_ROUND]);
  const present = new Set(rows.map((r) => r.n));
  const missing = acked.filter((x) => !present.has(x));
  assert.equal(missing.slice(0, 10), [], `${where}: ${missing.length} of ${acked.length} acknowledged numbers are missing`);
}

test("kill -9 at random instants never loses an acknowledged transaction nor breaks consistency", async () => {
  const dir = mkdtempSync(join(tmpdir(), "store-crash-"));
  const path = join(dir, "data", "edge.db");
  const writer = bundleWriter(dir);
  let total = 0;
  let generations = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const result = await runAndKill(writer, path, round * NUMBERS_PER_ROUND);
      total += result.acked.length;
      const store = await openStore(path, { log: silentLogger });
      check(store, round, result);
      const journals = readdirSync(join(dir, "data")).filter((f) => /\.journal\.\d+$/.test(f));
      generations = Math.max(generations, ...journals.map((f) => Number(f.split(".").pop())));
      // Every other round the checker itself "crashes" (never closes), so the next writer recovers from a journal
      // rather than from the clean snapshot close() leaves.
      if (round % 2 === 0) await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Each generation is one snapshot: those of the checker's close() calls, the rest taken while a writer ran.
  const whileWriting = generations - Math.ceil(ROUNDS / 2);
  console.log(`${ROUNDS} kills, ${total} acknowledged transactions all present, ${whileWriting} snapshots while writing`);
  assert.ok(total > ROUNDS * 10, "the writers acknowledged almost nothing: the test did not exercise the store");
  assert.ok(whileWriting >= 10, "too few snapshots happened while writing");
});

test.run();
