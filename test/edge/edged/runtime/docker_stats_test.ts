import { test } from "uvu";
import * as assert from "uvu/assert";
import { toContainerStats } from "../../../../lib/edge/edged/runtime/docker_stats.ts";

const NOW = Date.parse("2026-12-06T10:00:00Z");

test("toContainerStats() takes the working set as usage minus inactive_file (cgroup v2)", () => {
  const s = toContainerStats({
    read: "2026-12-06T09:59:59.5Z",
    cpu_stats: { cpu_usage: { total_usage: 12_000_000_000 } },
    memory_stats: { usage: 30_000_000, stats: { inactive_file: 4_000_000 } },
  }, NOW);
  assert.equal(s, { cpuNanos: 12_000_000_000, memoryBytes: 26_000_000, readAtMs: Date.parse("2026-12-06T09:59:59.5Z") });
});

test("toContainerStats() reads cgroup v1's total_inactive_file", () => {
  const s = toContainerStats({ read: "2026-12-06T10:00:00Z", cpu_stats: { cpu_usage: { total_usage: 5 } }, memory_stats: { usage: 100, stats: { total_inactive_file: 30 } } }, NOW);
  assert.is(s?.memoryBytes, 70);
});

test("toContainerStats() gives no reading for a stopped container, and now for its zero time", () => {
  assert.is(toContainerStats({ read: "0001-01-01T00:00:00Z", cpu_stats: { cpu_usage: {} }, memory_stats: {} }, NOW), undefined);
  const s = toContainerStats({ read: "0001-01-01T00:00:00Z", cpu_stats: { cpu_usage: { total_usage: 1 } }, memory_stats: { usage: 1 } }, NOW);
  assert.is(s?.readAtMs, NOW);
});

test.run();
