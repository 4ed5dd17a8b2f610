import { test } from "uvu";
import * as assert from "uvu/assert";
import { isPodActive, isPodAvailable, podRequests } from "../../../lib/cloud/controllers/_pod_status.ts";
import { pod } from "./_fixtures.ts";

test("isPodActive() excludes finished and deleting pods", () => {
  assert.ok(isPodActive(pod("a")));
  assert.not.ok(isPodActive(pod("a", { phase: "Succeeded" })));
  const deleting = pod("a");
  deleting.metadata!.deletionTimestamp = new Date();
  assert.not.ok(isPodActive(deleting));
});

test("isPodAvailable() waits minReadySeconds after Ready", () => {
  const p = pod("a", { readySince: "2026-01-01T00:00:00Z" });
  assert.ok(isPodAvailable(p, 0));
  assert.not.ok(isPodAvailable(p, 10, Date.parse("2026-01-01T00:00:05Z")));
  assert.ok(isPodAvailable(p, 10, Date.parse("2026-01-01T00:00:10Z")));
  assert.not.ok(isPodAvailable(pod("b"), 0));
});

test("podRequests() sums containers, takes the largest init container and adds overhead", () => {
  const p = pod("a");
  p.spec!.containers = [
    { name: "a", resources: { requests: { cpu: "100m", memory: "64Mi" } } },
    { name: "b", resources: { requests: { cpu: "0.2" } } },
  ];
  p.spec!.initContainers = [{ name: "i", resources: { requests: { cpu: "1", memory: "1Mi" } } }];
  p.spec!.overhead = { cpu: "50m" };
  assert.equal(podRequests(p), { cpuMilli: 1050, memoryBytes: 64 * 2 ** 20 });
  assert.throws(() => podRequests({ spec: { containers: [{ name: "x", resources: { requests: { cpu: "lots" } } }] } }), SyntaxError);
});

test.run();
