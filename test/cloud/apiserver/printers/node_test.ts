import { test } from "uvu";
import * as assert from "uvu/assert";
import { nodePrinter } from "../../../../lib/cloud/apiserver/printers/node.ts";

const NOW = new Date("2025-01-01T12:00:00Z");

function node(overrides: { labels?: Record<string, string>; spec?: object; conditions?: object[]; addresses?: object[]; nodeInfo?: object } = {}) {
  return {
    kind: "Node",
    apiVersion: "v1",
    metadata: { name: "edge-node-1", uid: "n1", resourceVersion: "5", creationTimestamp: "2024-12-29T09:00:00Z", labels: overrides.labels ?? {} },
    spec: overrides.spec ?? {},
    status: {
      conditions: overrides.conditions ?? [{ type: "Ready", status: "True", reason: "EdgeReady" }],
      addresses: overrides.addresses ?? [{ type: "InternalIP", address: "192.168.1.20" }, { type: "Hostname", address: "edge-node-1" }],
      nodeInfo: overrides.nodeInfo ?? {
        kubeletVersion: "v1.29.5-kubeedge-v1.20.0", osImage: "Debian GNU/Linux 12 (bookworm)",
        kernelVersion: "6.1.0-18-amd64", containerRuntimeVersion: "docker://24.0.7",
      },
    },
  };
}

test("nodePrinter has the ten columns of kubectl get nodes -o wide", () => {
  assert.equal(nodePrinter.columns.map((c) => [c.name, c.priority]), [
    ["Name", 0], ["Status", 0], ["Roles", 0], ["Age", 0], ["Version", 0], ["Internal-IP", 1], ["External-IP", 1],
    ["OS-Image", 1], ["Kernel-Version", 1], ["Container-Runtime", 1],
  ]);
});

test("nodePrinter.cells() prints a ready edge node with its roles and node info", () => {
  const n = node({ labels: { "node-role.kubernetes.io/edge": "", "node-role.kubernetes.io/agent": "", "kubernetes.io/hostname": "edge-node-1" } });
  assert.equal(nodePrinter.cells(n, NOW), [
    "edge-node-1", "Ready", "agent,edge", "3d3h", "v1.29.5-kubeedge-v1.20.0", "192.168.1.20", "<none>",
    "Debian GNU/Linux 12 (bookworm)", "6.1.0-18-amd64", "docker://24.0.7",
  ]);
});

test("nodePrinter.cells() prints NotReady,SchedulingDisabled for a cordoned node that stopped reporting", () => {
  const n = node({ spec: { unschedulable: true }, conditions: [{ type: "Ready", status: "Unknown", reason: "NodeStatusUnknown" }] });
  assert.is(nodePrinter.cells(n, NOW)[1], "NotReady,SchedulingDisabled");
});

test("nodePrinter.cells() prints Unknown without a Ready condition, and <none> without roles", () => {
  const n = node({ conditions: [{ type: "MemoryPressure", status: "False" }] });
  assert.equal(nodePrinter.cells(n, NOW).slice(1, 3), ["Unknown", "<none>"]);
});

test("nodePrinter.cells() lets the last Ready condition win", () => {
  const n = node({ conditions: [{ type: "Ready", status: "True" }, { type: "Ready", status: "False" }] });
  assert.is(nodePrinter.cells(n, NOW)[1], "NotReady");
});

test("nodePrinter.cells() merges the kubernetes.io/role label with node-role labels, without duplicates", () => {
  const n = node({ labels: { "kubernetes.io/role": "edge", "node-role.kubernetes.io/edge": "", "node-role.kubernetes.io/": "", "node-role.kubernetes.io/control-plane": "" } });
  assert.is(nodePrinter.cells(n, NOW)[2], "control-plane,edge");
});

test("nodePrinter.cells() prints the first external IP and <unknown> for missing node info", () => {
  const n = node({
    addresses: [{ type: "ExternalIP", address: "203.0.113.7" }, { type: "ExternalIP", address: "203.0.113.8" }],
    nodeInfo: {},
  });
  assert.equal(nodePrinter.cells(n, NOW).slice(4), ["", "<none>", "203.0.113.7", "<unknown>", "<unknown>", "<unknown>"]);
});

test.run();
