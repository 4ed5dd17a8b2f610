import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { filterNode, unschedulableMessage } from "../../../lib/cloud/controllers/_scheduler_filters.ts";

const none = { cpuMilli: 0, memoryBytes: 0 };
const idle = { pods: 0, cpuMilli: 0, memoryBytes: 0 };
const ready = [{ type: "Ready", status: "True" }];
const node = (extra: Partial<V1Node> = {}): V1Node => ({
  metadata: { name: "n", labels: { zone: "a" } },
  status: { conditions: ready, allocatable: { pods: "2", cpu: "1", memory: "1Gi" } },
  ...extra,
});
const pod = (spec: Partial<V1Pod["spec"]> = {}): V1Pod => ({ spec: { containers: [], ...spec } });

test("filterNode() accepts a Ready node with room", () => {
  assert.equal(filterNode(pod(), none, node(), idle), []);
});

test("filterNode() reports the first failing check in the scheduler's words", () => {
  assert.equal(filterNode(pod(), none, node({ spec: { unschedulable: true } }), idle), ["node(s) were unschedulable"]);
  assert.equal(filterNode(pod(), none, node({ spec: { taints: [{ key: "k", value: "v", effect: "NoSchedule" }] } }), idle), ["node(s) had untolerated taint {k: v}"]);
  assert.equal(filterNode(pod(), none, node({ status: { conditions: [{ type: "Ready", status: "False" }] } }), idle), ["node(s) were not ready"]);
  assert.equal(filterNode(pod({ nodeSelector: { zone: "b" } }), none, node(), idle), ["node(s) didn't match Pod's node affinity/selector"]);
  assert.equal(filterNode(pod(), { cpuMilli: 600, memoryBytes: 2 ** 30 }, node(), { pods: 2, cpuMilli: 500, memoryBytes: 1 }), ["Too many pods", "Insufficient cpu", "Insufficient memory"]);
});

test("filterNode() lets a pod that tolerates the unschedulable taint onto a cordoned node", () => {
  const tolerant = pod({ tolerations: [{ key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" }] });
  assert.equal(filterNode(tolerant, none, node({ spec: { unschedulable: true } }), idle), []);
});

test("filterNode() treats absent capacity as 110 pods and unlimited cpu and memory", () => {
  const bare = node({ status: { conditions: ready } });
  assert.equal(filterNode(pod(), { cpuMilli: 64_000, memoryBytes: 2 ** 40 }, bare, { pods: 109, cpuMilli: 0, memoryBytes: 0 }), []);
  assert.equal(filterNode(pod(), none, bare, { pods: 110, cpuMilli: 0, memoryBytes: 0 }), ["Too many pods"]);
});

test("unschedulableMessage() counts and sorts reasons like the real scheduler", () => {
  assert.is(
    unschedulableMessage([["node(s) were unschedulable"], ["node(s) didn't match Pod's node affinity/selector"], ["node(s) were unschedulable"]]),
    "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
  );
  assert.is(
    unschedulableMessage([["Insufficient cpu", "Insufficient memory"], ["node(s) were not ready"]]),
    "0/2 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 node(s) were not ready. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.",
  );
  assert.is(unschedulableMessage([]), "no nodes available to schedule pods");
});

test.run();
