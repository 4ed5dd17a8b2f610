/**
 * The whole test suite: prepares the machine (Docker engine, mosquitto) when it can, typechecks, then runs every
 * `*_test.ts` under `test/` (benchmarks excluded) as its own process, two at a time, and ends with the line
 * `N passed, N failed`. Arguments filter test files by substring: `npm test -- store link`.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const filters = process.argv.slice(2);
const PARALLEL = Number(process.env.TEST_PARALLEL ?? 2);
const FILE_TIMEOUT_MS = Number(process.env.TEST_FILE_TIMEOUT_MS ?? 300_000);

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

type Outcome = { name: string; passed: number; failed: number; skipped: number; ms: number; output: string };

function run(cmd: string, args: string[], name: string, timeoutMs: number): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, FORCE_COLOR: "0" }, detached: true });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n[run] ${name}: timed out after ${timeoutMs} ms, killed\n`;
      try { process.kill(-child.pid!, "SIGKILL"); } catch { /* already gone */ }
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      const num = (label: string) => Number(output.match(new RegExp(`${label}:\\s+(\\d+)`))?.[1] ?? NaN);
      const total = num("Total"), passed = num("Passed"), skipped = num("Skipped");
      let p = Number.isNaN(passed) ? 0 : passed;
      let f = Number.isNaN(total) ? 0 : total - p - (Number.isNaN(skipped) ? 0 : skipped);
      if (code !== 0 && f === 0) f = 1;
      if (Number.isNaN(total) && code === 0) p = 1;
      resolve({ name, passed: p, failed: f, skipped: Number.isNaN(skipped) ? 0 : skipped, ms: Date.now() - started, output });
    });
  });
}

async function main() {
  const results: Outcome[] = [];
  const report = (o: Outcome) => {
    results.push(o);
    const mark = o.failed ? "FAIL" : "ok  ";
    console.log(`${mark} ${o.name} (${o.passed} passed, ${o.failed} failed, ${(o.ms / 1000).toFixed(1)} s)`);
    if (o.failed || process.env.TEST_VERBOSE) console.log(o.output.split("\n").map((l) => "     | " + l).join("\n"));
  };

  if (!filters.length) {
    const prep = await run("bash", [join(root, "cmd/prepare_host.sh")], "prepare machine", 600_000);
    if (prep.failed) report(prep); else console.log("ok   prepare machine");
    report(await run(join(root, "node_modules/.bin/tsc"), ["--noEmit", "-p", "."], "typecheck", 300_000));
  }
  const files = findTests(join(root, "test")).filter((f) => !filters.length || filters.some((s) => f.includes(s)));
  const queue = [...files];
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      report(await run(process.execPath, ["--import", "tsx", f], relative(root, f), FILE_TIMEOUT_MS));
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const skipped = results.reduce((n, r) => n + r.skipped, 0);
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  process.exitCode = failed ? 1 : 0;
}

await main();
