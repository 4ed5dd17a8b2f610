import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseMemInfo, parseProcStat, readNodeTimes } from "../../../lib/edge/edged/proc_usage.ts";

// from a 2-core host: the aggregate line first, then per-core lines that must not be counted again
const STAT = `cpu  4705 150 1120 16250 520 0 43 0 300 0
cpu0 2352 75 560 8125 260 0 21 0 150 0
cpu1 2353 75 560 8125 260 0 22 0 150 0
intr 1462898 0 0 0
ctxt 3154287
btime 1700000000
`;

const MEMINFO = `MemTotal:        8048476 kB
MemFree:          912340 kB
MemAvailable:    5123400 kB
Buffers:          204800 kB
Cached:          3800000 kB
`;

test("parseProcStat() counts busy time as every field but idle and iowait, guest not twice", () => {
  const t = parseProcStat(STAT);
  // user+nice+system+irq+softirq+steal = 4705+150+1120+0+43+0 ticks of 10 ms
  assert.is(t.busyNanos, (4705 + 150 + 1120 + 43) * 1e7);
  assert.is(t.totalNanos, (4705 + 150 + 1120 + 16250 + 520 + 43) * 1e7);
});

test("parseProcStat() refuses text without an aggregate cpu line or with junk in it", () => {
  assert.throws(() => parseProcStat("cpu0 1 2 3 4\n"), (e: Error) => e instanceof SyntaxError && /no aggregate "cpu" line/.test(e.message));
  assert.throws(() => parseProcStat("cpu  1 2 x 4 5\n"), /unexpected cpu line/);
  assert.throws(() => parseProcStat("cpu  1 2\n"), /unexpected cpu line/);
});

test("parseMemInfo() is MemTotal minus MemAvailable, in bytes", () => {
  assert.is(parseMemInfo(MEMINFO), (8048476 - 5123400) * 1024);
});

test("parseMemInfo() names the missing line", () => {
  assert.throws(() => parseMemInfo("MemTotal: 100 kB\n"), /no "MemAvailable" line/);
});

test("readNodeTimes() reads both files, and this host's real ones", async () => {
  const dir = mkdtempSync(join(tmpdir(), "proc-usage-"));
  try {
    writeFileSync(join(dir, "stat"), STAT);
    writeFileSync(join(dir, "meminfo"), MEMINFO);
    const r = await readNodeTimes({ stat: join(dir, "stat"), meminfo: join(dir, "meminfo") });
    assert.is(r.memoryBytes, (8048476 - 5123400) * 1024);
    assert.is(r.cpu.busyNanos, 6018 * 1e7);
    const missing = await readNodeTimes({ stat: join(dir, "none"), meminfo: join(dir, "meminfo") }).then(() => undefined, (e: Error) => e);
    assert.match(String(missing?.message), /ENOENT.*none/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const host = await readNodeTimes();
  assert.ok(host.cpu.busyNanos > 0 && host.cpu.totalNanos >= host.cpu.busyNanos);
  assert.ok(host.memoryBytes > 0);
});

test.run();
