import { test } from "uvu";
import * as assert from "uvu/assert";
import { NodeUsageIndex } from "../../../lib/cloud/controllers/_node_usage.ts";

const req = { cpuMilli: 100, memoryBytes: 10 };

test("NodeUsageIndex sums pods, requests and owners per node", () => {
  const u = new NodeUsageIndex();
  u.place("ns/a", "n1", req, "rs1");
  u.place("ns/b", "n1", req, "rs1");
  u.place("ns/c", "n2", req);
  assert.equal(u.usage("n1"), { pods: 2, cpuMilli: 200, memoryBytes: 20 });
  assert.is(u.ownerCount("n1", "rs1"), 2);
  assert.is(u.ownerCount("n2", "rs1"), 0);
  assert.equal(u.usage("n3"), { pods: 0, cpuMilli: 0, memoryBytes: 0 });
});

test("NodeUsageIndex.place() is idempotent and moves a pod between nodes", () => {
  const u = new NodeUsageIndex();
  u.place("ns/a", "n1", req, "rs1");
  u.place("ns/a", "n1", req, "rs1");
  assert.is(u.usage("n1").pods, 1);
  u.place("ns/a", "n2", req, "rs1");
  assert.is(u.usage("n1").pods, 0);
  assert.is(u.nodeOf("ns/a"), "n2");
  u.remove("ns/a");
  u.remove("ns/a");
  assert.equal(u.usage("n2"), { pods: 0, cpuMilli: 0, memoryBytes: 0 });
  assert.is(u.ownerCount("n2", "rs1"), 0);
});

test.run();
