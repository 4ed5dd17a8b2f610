/**
 * The whole test suite: prepares the machine once (`cmd/prepare_host.sh` installs every host tool the suite uses,
 * before any test file runs), typechecks, then runs every `*_test.ts` under `test/` (benchmarks, support and fixtures
 * excluded) as its own process, two at a time, and ends with the line `N passed, N failed, N skipped`.
 *
 * Arguments filter test files by substring (`npm test -- store link`) and leave out the preparation and the
 * typecheck. `TEST_DIR` runs the files of another folder the same way (the runner's own test uses it).
 *
 * A file passes only when it ends with uvu's summary: one that exits 0 without one ran no test, and counts as a
 * failure. A test that calls `skip(reason)` (`test/support/skip.ts`) counts as skipped, not passed, and its reason
 * is printed.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stopRealK8s } from "./support/realk8s.ts";
import { SKIP_MARKER } from "./support/skip.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const testDir = resolve(root, process.env.TEST_DIR ?? "test");
const filters = process.argv.slice(2);
const PARALLEL = Number(process.env.TEST_PARALLEL ?? 2);
const FILE_TIMEOUT_MS = Number(process.env.TEST_FILE_TIMEOUT_MS ?? 300_000);
const wholeSuite = !filters.length && !process.env.TEST_DIR;

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== "bench" && name !== "support" && name !== "fixtures") out.push(...findTests(p));
    } else if (name.endsWith("_test.ts")) out.push(p);
  }
  return out;
}

/** What one file (or one step) came to. */
type Outcome = { name: string; passed: number; failed: number; skipped: string[]; ms: number; output: string; note?: string };

/** Reads uvu's closing summary and the skip markers out of a file's output. */
export function countOutcome(output: string, code: number | null): Omit<Outcome, "name" | "ms" | "output"> {
  const last = (label: string) => {
    const all = [...output.matchAll(new RegExp(`^\\s*${label}:\\s+(\\d+)`, "gm"))];
    return all.length ? Number(all[all.length - 1][1]) : undefined;
  };
  const skips = output.split("\n").filter((l) => l.startsWith(SKIP_MARKER)).map((l) => l.slice(SKIP_MARKER.length).trim());
  const total = last("Total"), passedAll = last("Passed"), uvuSkipped = last("Skipped") ?? 0;
  if (total === undefined || passedAll === undefined) {
    const note = code === 0 ? "exited 0 without a test summary: no test ran" : `exited ${code} without a test summary`;
    return { passed: 0, failed: 1, skipped: skips, note };
  }
  const skipped = [...skips, ...Array.from({ length: uvuSkipped }, () => "test.skip")];
  const passed = Math.max(0, passedAll - skips.length);
  let failed = total - passedAll - uvuSkipped;
  let note: string | undefined;
  if (code !== 0 && failed <= 0) {
    failed = 1;
    note = `exited ${code} after its summary`;
  }
  return { passed, failed: Math.max(0, failed), skipped, note };
}

function run(cmd: string, args: string[], name: string, timeoutMs: number, step = false): Promise<Outcome> {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, FORCE_COLOR: "0" }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n[run] ${name}: timed out after ${timeoutMs} ms, killed\n`;
      try { process.kill(-child.pid!, "SIGKILL"); } catch { /* already gone */ }
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      const ms = Date.now() - started;
      if (step) done({ name, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: [], ms, output });
      else done({ name, ms, output, ...countOutcome(output, code) });
    });
  });
}

async function main() {
  // One real control plane for the whole run, in a folder of its own, stopped and removed at the end.
  const ownRealK8s = !process.env.KUBEEDGE_TS_REALK8S_DIR;
  const realk8s = process.env.KUBEEDGE_TS_REALK8S_DIR ?? `/tmp/kubeedge-ts-realk8s-run-${process.pid}`;
  process.env.KUBEEDGE_TS_REALK8S_DIR = realk8s;
  process.env.KUBEEDGE_TS_REALK8S_KEEP = "1";
  const results: Outcome[] = [];
  const report = (o: Outcome) => {
    results.push(o);
    const mark = o.failed ? "FAIL" : o.skipped.length && !o.passed ? "skip" : "ok  ";
    const counts = `${o.passed} passed, ${o.failed} failed${o.skipped.length ? `, ${o.skipped.length} skipped` : ""}`;
    console.log(`${mark} ${o.name} (${counts}, ${(o.ms / 1000).toFixed(1)} s)${o.note ? `: ${o.note}` : ""}`);
    for (const why of o.skipped) console.log(`     skipped: ${why}`);
    if (o.failed || process.env.TEST_VERBOSE) console.log(o.output.split("\n").map((l) => "     | " + l).join("\n"));
  };

  if (wholeSuite) {
    const prep = await run("bash", [join(root, "cmd/prepare_host.sh"), "--for-tests"], "prepare machine", 1_200_000, true);
    console.log(prep.output.trim().split("\n").map((l) => `     ${l}`).join("\n"));
    report(prep);
    report(await run(join(root, "node_modules/.bin/tsc"), ["--noEmit", "-p", "."], "typecheck", 300_000, true));
  }
  const files = findTests(testDir).filter((f) => !filters.length || filters.some((s) => f.includes(s)));
  const queue = [...files];
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      report(await run(process.execPath, ["--import", "tsx", f], relative(root, f), FILE_TIMEOUT_MS));
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  if (ownRealK8s) await stopRealK8s(realk8s);
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const skips = results.flatMap((r) => r.skipped.map((why) => `${r.name}: ${why}`));
  if (skips.length) console.log(`\nskipped:\n${skips.map((s) => `  ${s}`).join("\n")}`);
  const failedFiles = results.filter((r) => r.failed).map((r) => r.name);
  if (failedFiles.length) console.log(`\nfailed:\n${failedFiles.map((s) => `  ${s}`).join("\n")}`);
  console.log(`\n${passed} passed, ${failed} failed, ${skips.length} skipped`);
  process.exitCode = failed ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("test/run.ts")) await main();
