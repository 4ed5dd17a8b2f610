import { test } from "uvu";
import * as assert from "uvu/assert";
import { isScalingEvent, proportionalScale, rollingNewReplicas, rollingOldScaleDown } from "../../../lib/cloud/controllers/_rollout_plan.ts";
import { deployment, rs } from "./_fixtures.ts";

test("rollingNewReplicas() grows the new set within replicas + surge", () => {
  const old = rs("old", 4);
  assert.is(rollingNewReplicas(4, 1, [old], undefined), 1);
  assert.is(rollingNewReplicas(4, 1, [old, rs("new", 1, 0)], rs("new", 1, 0)), 1);
  assert.is(rollingNewReplicas(4, 1, [rs("old", 3), rs("new", 1)], rs("new", 1)), 2);
  assert.is(rollingNewReplicas(4, 1, [rs("new", 6)], rs("new", 6)), 4);
  assert.is(rollingNewReplicas(3, 1, [], undefined), 3);
});

test("rollingOldScaleDown() keeps replicas - maxUnavailable available pods", () => {
  // 4 old available, new set of 1 not yet available, maxUnavailable 0: nothing may go
  assert.equal([...rollingOldScaleDown(4, 0, rs("new", 1, 0), [rs("old", 4)])], []);
  // the new pod became available: one old pod may go
  assert.equal([...rollingOldScaleDown(4, 0, rs("new", 1, 1), [rs("old", 4)])], [["old", 3]]);
  // maxUnavailable 1 lets one go before any new pod is available
  assert.equal([...rollingOldScaleDown(4, 1, rs("new", 1, 0), [rs("old", 4)])], [["old", 3]]);
});

test("rollingOldScaleDown() removes unavailable old pods first, oldest set first", () => {
  const older = rs("older", 2, 0, { created: "2026-01-01T00:00:00Z" });
  const newer = rs("newer", 2, 2, { created: "2026-01-02T00:00:00Z" });
  // 5 pods (1 surged), 4 must stay available: one pod may go, and it is an unavailable one of the older set
  const plan = rollingOldScaleDown(4, 0, rs("new", 1, 1), [newer, older]);
  assert.equal([...plan], [["older", 1]]);
});

test("isScalingEvent() is true when an active set was sized for other replicas", () => {
  const sized = (n: number) => rs("a", 3, 3, { annotations: { "deployment.kubernetes.io/desired-replicas": String(n) } });
  assert.ok(isScalingEvent(deployment(5), [sized(3)]));
  assert.not.ok(isScalingEvent(deployment(3), [sized(3)]));
  assert.not.ok(isScalingEvent(deployment(5), [rs("a", 3)]));
  assert.not.ok(isScalingEvent(deployment(5), [{ ...sized(3), spec: { replicas: 0, selector: {} } }]));
});

test("proportionalScale() gives a single active set the full count", () => {
  assert.equal([...proportionalScale(deployment(5), 1, rs("new", 3), [rs("new", 3), rs("old", 0)])], [["new", 5]]);
  assert.equal([...proportionalScale(deployment(2), 1, undefined, [rs("old", 0, 0, { created: "2026-01-01T00:00:00Z" }), rs("older", 0, 0, { created: "2025-01-01T00:00:00Z" })])], [["old", 2]]);
});

test("proportionalScale() spreads a change over active sets by size and ends old sets when the new one is saturated", () => {
  const max = { annotations: { "deployment.kubernetes.io/max-replicas": "13" } };
  const a = rs("a", 6, 6, { ...max, created: "2026-01-01T00:00:00Z" });
  const b = rs("b", 6, 0, { ...max, created: "2026-01-02T00:00:00Z" });
  const plan = proportionalScale(deployment(20), 5, b, [a, b]);
  assert.is(plan.get("a")! + plan.get("b")!, 25);
  assert.ok(Math.abs(plan.get("a")! - plan.get("b")!) <= 1);
  const saturated = rs("n", 5, 5);
  assert.equal([...proportionalScale(deployment(5), 1, saturated, [saturated, rs("o", 2)])], [["o", 0]]);
});

test.run();
