import { test } from "uvu";
import * as assert from "uvu/assert";
import { ResourceMetrics } from "../../../lib/cloud/resourcemetrics/index.ts";
import { createLogger } from "../../../lib/log/index.ts";
import { Group, newMessage, Op, Source, USAGE_GROUP } from "../../../lib/model/index.ts";

const log = createLogger("resourcemetrics", { level: "error" });
const report = (cpu: number) => ({ timestamp: "2026-12-06T10:00:00Z", windowSeconds: 15, node: { cpuNanoCores: cpu, memoryBytes: 1 }, pods: [] });
const usage = (node: string, about: string, content: unknown) =>
  newMessage({ source: Source.edged, group: USAGE_GROUP, operation: "update", resource: `node/${node}/default/nodemetrics/${about}`, content });

test("ResourceMetrics keeps the latest report per node and drops reports closer than minIntervalMs", () => {
  const m = new ResourceMetrics({ log, minIntervalMs: 1000 });
  const t = Date.now() - 2000;
  m.handle(usage("a", "a", report(1)), t);
  m.handle(usage("a", "a", report(2)), t + 500);
  assert.is(m.report("a")?.node.cpuNanoCores, 1);
  m.handle(usage("a", "a", report(3)), t + 1000);
  assert.is(m.report("a")?.node.cpuNanoCores, 3);
  assert.equal(m.stats(), { accepted: 2, refused: 0, throttled: 1, nodes: 1 });
});

test("ResourceMetrics refuses a node speaking for another node, and bad content, keeping the last good report", () => {
  const m = new ResourceMetrics({ log, minIntervalMs: 0 });
  const t = Date.now();
  m.handle(usage("a", "b", report(1)), t);
  assert.is(m.report("b"), undefined);
  assert.is(m.report("a"), undefined);
  m.handle(usage("a", "a", report(5)), t);
  m.handle(usage("a", "a", { ...report(1), pods: "x" }), t);
  assert.is(m.report("a")?.node.cpuNanoCores, 5);
  m.handle({ ...usage("a", "a", report(1)), route: { source: "x", group: USAGE_GROUP, operation: "update", resource: "no-prefix" } }, t);
  assert.is(m.stats().refused, 3);
});

test("ResourceMetrics forgets a node when its link goes, and serves nothing older than maxAgeMs", () => {
  const m = new ResourceMetrics({ log, minIntervalMs: 0, maxAgeMs: 60_000 });
  m.handle(usage("a", "a", report(1)), Date.now());
  m.handle(usage("b", "b", report(2)), Date.now() - 120_000);
  assert.equal([...m.reports()].map((r) => r.node), ["a"]);
  assert.is(m.report("b"), undefined);
  m.handle(newMessage({ source: Source.cloudHub, group: Group.hub, operation: Op.disconnected, resource: "node/a", content: null }), Date.now());
  assert.is(m.report("a"), undefined);
  assert.is(m.stats().nodes, 1);
});

test.run();
