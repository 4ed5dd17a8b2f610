import { test } from "uvu";
import * as assert from "uvu/assert";
import { deletionOrder } from "../../../lib/cloud/controllers/_pod_deletion_order.ts";
import { pod } from "./_fixtures.ts";

const names = (ps: { metadata?: { name?: string } }[]) => ps.map((p) => p.metadata?.name);

test("deletionOrder() puts unscheduled, then pending, then not-ready pods first", () => {
  const pods = [
    pod("ready", { node: "a", readySince: "2026-01-01T00:00:00Z" }),
    pod("notready", { node: "b" }),
    pod("pending", { node: "c", phase: "Pending" }),
    pod("unscheduled", { phase: "Pending" }),
  ];
  assert.equal(names(deletionOrder(pods)), ["unscheduled", "pending", "notready", "ready"]);
});

test("deletionOrder() prefers crowded nodes, shorter readiness, more restarts, then newer pods", () => {
  const r = "2026-01-01T00:00:00Z";
  assert.equal(names(deletionOrder([pod("alone", { node: "a", readySince: r }), pod("crowd1", { node: "b", readySince: r }), pod("crowd2", { node: "b", readySince: r, created: "2026-01-02T00:00:00Z" })])), ["crowd2", "crowd1", "alone"]);
  assert.equal(names(deletionOrder([pod("long", { node: "a", readySince: r }), pod("short", { node: "b", readySince: "2026-01-03T00:00:00Z" })])), ["short", "long"]);
  assert.equal(names(deletionOrder([pod("calm", { node: "a", readySince: r }), pod("flaky", { node: "b", readySince: r, restarts: 3 })])), ["flaky", "calm"]);
});

test.run();
