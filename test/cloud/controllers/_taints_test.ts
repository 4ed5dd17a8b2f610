import { test } from "uvu";
import * as assert from "uvu/assert";
import { tolerates, untoleratedTaint } from "../../../lib/cloud/controllers/_taints.ts";

const taint = { key: "dedicated", value: "edge", effect: "NoSchedule" };

test("tolerates() matches key, value and effect", () => {
  assert.ok(tolerates({ key: "dedicated", operator: "Equal", value: "edge", effect: "NoSchedule" }, taint));
  assert.ok(tolerates({ key: "dedicated", value: "edge" }, taint));
  assert.ok(tolerates({ key: "dedicated", operator: "Exists" }, taint));
  assert.ok(tolerates({ operator: "Exists" }, taint));
  assert.not.ok(tolerates({ key: "dedicated", value: "cloud" }, taint));
  assert.not.ok(tolerates({ key: "dedicated", operator: "Exists", effect: "NoExecute" }, taint));
  assert.not.ok(tolerates({ key: "other", operator: "Exists" }, taint));
  assert.not.ok(tolerates({ value: "edge" }, taint));
});

test("untoleratedTaint() ignores PreferNoSchedule and tolerated taints", () => {
  const soft = { key: "soft", effect: "PreferNoSchedule" };
  const hard = { key: "node.kubernetes.io/unreachable", effect: "NoExecute" };
  assert.is(untoleratedTaint([soft], []), undefined);
  assert.equal(untoleratedTaint([soft, taint, hard], [{ key: "dedicated", operator: "Exists" }]), hard);
  assert.is(untoleratedTaint([taint, hard], [{ operator: "Exists" }]), undefined);
  assert.is(untoleratedTaint(undefined, undefined), undefined);
});

test.run();
