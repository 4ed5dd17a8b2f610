/**
 * Store benchmark: durable transactions per second and commit latency (p50, p99) for 1 writer and for 32 concurrent
 * writers, next to the raw rate of the same disk for one line appended and fdatasynced at a time. Group commit should
 * let 32 writers go well past the raw per-operation rate. Each measurement runs ROUNDS times, interleaved, so a burst
 * of load from elsewhere hits all of them alike; rates are medians over rounds, latencies pooled.
 * Run: `node --import tsx test/bench/store.ts` (env: BENCH_DURATION_MS, BENCH_ROUNDS).
 *
 * @module
 */
import { closeSync, fdatasync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "../../lib/log/index.ts";
import { openStore } from "../../lib/store/index.ts";

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const dir = mkdtempSync(join(tmpdir(), "store-bench-"));

type Run = { rate: number; latencies: number[] };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function timed(workers: number, op: (i: number) => Promise<void> | void): Promise<Run> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const deadline = started + DURATION_MS;
  await Promise.all(Array.from({ length: workers }, async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      await op(next++);
      latencies.push(performance.now() - t);
    }
  }));
  return { rate: latencies.length / ((performance.now() - started) / 1000), latencies };
}

const line = (i: number) => `{"n":${i},"pad":"raw append line of a typical size"}\n`;

async function rawSync(round: number): Promise<Run> {
  const fd = openSync(join(dir, `raw-sync-${round}.log`), "a");
  const run = await timed(1, (i) => {
    writeSync(fd, line(i));
    fdatasyncSync(fd);
  });
  closeSync(fd);
  return run;
}

async function rawAsync(round: number): Promise<Run> {
  const fd = openSync(join(dir, `raw-async-${round}.log`), "a");
  const run = await timed(1, (i) => {
    writeSync(fd, line(i));
    return new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
  });
  closeSync(fd);
  return run;
}

async function store(writers: number, round: number): Promise<Run> {
  const s = await openStore(join(dir, `edge-${writers}-${round}.db`), { log: silentLogger });
  await s.transaction((tx) => {
    tx.run("CREATE TABLE items(n INTEGER PRIMARY KEY, body TEXT)");
    tx.run("CREATE TABLE counter(id INTEGER PRIMARY KEY, c INTEGER)");
    tx.run("INSERT INTO counter VALUES (1, 0)");
  });
  const run = await timed(writers, (i) =>
    s.transaction((tx) => {
      tx.run("INSERT INTO items VALUES (?, ?)", [i, `{"kind":"Pod","name":"pod-${i}"}`]);
      tx.run("UPDATE counter SET c = c + 1 WHERE id = 1");
    }));
  await s.close();
  return run;
}

const measurements: Array<[string, (round: number) => Promise<Run>]> = [
  ["raw append + fdatasync, sync calls", rawSync],
  ["raw append + fdatasync, async fdatasync", rawAsync],
  ["store, 1 writer (insert + update per tx)", (r) => store(1, r)],
  ["store, 32 writers (insert + update per tx)", (r) => store(32, r)],
];

try {
  console.log(`node ${process.version}, ${ROUNDS} rounds x ${DURATION_MS} ms per measurement, files in ${dir}`);
  const runs = new Map<string, Run[]>(measurements.map(([label]) => [label, []]));
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const rates: number[] = [];
    for (const [label, measure] of measurements) {
      const run = await measure(round);
      runs.get(label)!.push(run);
      rates.push(run.rate);
    }
    ratios.push(rates[3]! / Math.max(rates[0]!, rates[1]!));
  }
  for (const [label, list] of runs) {
    const all = list.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const rate = median(list.map((r) => r.rate)).toFixed(0).padStart(7);
    const p50 = percentile(all, 50).toFixed(3);
    const p99 = percentile(all, 99).toFixed(3);
    console.log(`${label.padEnd(44)} ${rate} ops/s   p50 ${p50} ms   p99 ${p99} ms`);
  }
  const shown = ratios.map((r) => r.toFixed(1)).join(", ");
  console.log(`32 writers / best raw per-op fsync rate: median ${median(ratios).toFixed(1)}x (rounds: ${shown}; goal >= 4x)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
