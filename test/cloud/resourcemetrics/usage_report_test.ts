import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseUsageReport } from "../../../lib/cloud/resourcemetrics/index.ts";

const good = () => ({
  timestamp: "2026-12-06T10:00:00.123Z",
  windowSeconds: 15,
  node: { cpuNanoCores: 250_000_000, memoryBytes: 1 << 30 },
  pods: [{ namespace: "default", name: "web", uid: "u-1", containers: [{ name: "app", cpuNanoCores: 1000, memoryBytes: 4096 }] }],
});

/** Parses JSON text as it arrives from a node, then the report. */
const fromWire = (text: string) => parseUsageReport(JSON.parse(text));

test("parseUsageReport() keeps a good report, copied field by field", () => {
  const content = { ...good(), extra: "x".repeat(10) };
  const r = parseUsageReport(content);
  assert.equal(r, good());
  assert.is.not(r.pods, content.pods);
});

test("parseUsageReport() refuses numbers that are not finite and non-negative", () => {
  // JSON has no NaN, but 1e400 arrives as Infinity
  assert.throws(() => fromWire(JSON.stringify(good()).replace("250000000", "1e400")), /node\.cpuNanoCores must be a finite number from 0/);
  const negative = good();
  negative.pods[0]!.containers[0]!.memoryBytes = -1;
  assert.throws(() => parseUsageReport(negative), (e: Error) => e instanceof RangeError && /pods\[0\]\.containers\[0\]\.memoryBytes .* got -1/.test(e.message));
  const text = good() as Record<string, unknown>;
  text.node = { cpuNanoCores: "12", memoryBytes: 1 };
  assert.throws(() => parseUsageReport(text), /got string/);
  assert.throws(() => parseUsageReport({ ...good(), windowSeconds: 0 }), /windowSeconds must be above 0/);
  assert.throws(() => parseUsageReport({ ...good(), windowSeconds: 1e9 }), /windowSeconds/);
});

test("parseUsageReport() bounds counts and name lengths", () => {
  const many = { ...good(), pods: Array.from({ length: 3 }, (_, i) => ({ ...good().pods[0]!, name: `p${i}` })) };
  assert.throws(() => parseUsageReport(many, { maxPods: 2, maxContainersPerPod: 64 }), /pods has 3 entries, more than 2/);
  const wide = good();
  wide.pods[0]!.containers = Array.from({ length: 65 }, (_, i) => ({ name: `c${i}`, cpuNanoCores: 0, memoryBytes: 0 }));
  assert.throws(() => parseUsageReport(wide), /containers has 65 entries, more than 64/);
  const long = good();
  long.pods[0]!.name = "a".repeat(254);
  assert.throws(() => parseUsageReport(long), /pods\[0\]\.name must be a string of 1 to 253 characters/);
});

test("parseUsageReport() refuses wrong shapes and repeats", () => {
  for (const bad of [null, "x", [], 7]) assert.throws(() => parseUsageReport(bad), /content is not an object/);
  assert.throws(() => parseUsageReport({ ...good(), pods: {} }), /pods is not a list/);
  assert.throws(() => parseUsageReport({ ...good(), timestamp: "yesterday" }), /timestamp must be an RFC 3339 time/);
  const twice = good();
  twice.pods.push(twice.pods[0]!);
  assert.throws(() => parseUsageReport(twice), /pod "default\/web" appears twice/);
  const sameContainer = good();
  sameContainer.pods[0]!.containers.push(sameContainer.pods[0]!.containers[0]!);
  assert.throws(() => parseUsageReport(sameContainer), /name "app" appears twice/);
});

test.run();
