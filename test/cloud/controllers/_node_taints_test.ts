import type { V1Node, V1Taint } from "@kubernetes/client-node";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { wantedTaints } from "../../../lib/cloud/controllers/_node_taints.ts";

const node = (ready: string | undefined, taints: V1Taint[] = []): V1Node => ({
  metadata: { name: "n" }, spec: { taints },
  status: { conditions: ready ? [{ type: "Ready", status: ready }] : [] },
});
const keys = (t: { key: string; effect: string }[] | undefined) => t?.map((x) => `${x.key}:${x.effect}`);

test("wantedTaints() adds the unreachable taints to an Unknown node, keeping other taints", () => {
  const t = wantedTaints(node("Unknown", [{ key: "dedicated", effect: "NoSchedule" }]), "2026-01-01T00:00:00Z");
  assert.equal(keys(t), ["dedicated:NoSchedule", "node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"]);
  assert.is(String(t![1]!.timeAdded), "2026-01-01T00:00:00Z");
});

test("wantedTaints() swaps unreachable for not-ready on a False node and clears both on a Ready one", () => {
  const unreachable = [{ key: "node.kubernetes.io/unreachable", effect: "NoSchedule" }, { key: "node.kubernetes.io/unreachable", effect: "NoExecute" }];
  assert.equal(keys(wantedTaints(node("False", unreachable), "t")), ["node.kubernetes.io/not-ready:NoSchedule", "node.kubernetes.io/not-ready:NoExecute"]);
  assert.equal(wantedTaints(node("True", unreachable), "t"), []);
});

test("wantedTaints() returns undefined when nothing changes", () => {
  assert.is(wantedTaints(node("True"), "t"), undefined);
  assert.is(wantedTaints(node(undefined), "t"), undefined);
  const done = [{ key: "node.kubernetes.io/unreachable", effect: "NoSchedule" }, { key: "node.kubernetes.io/unreachable", effect: "NoExecute" }];
  assert.is(wantedTaints(node("Unknown", done), "t"), undefined);
});

test.run();
