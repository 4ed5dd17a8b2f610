import { test } from "uvu";
import * as assert from "uvu/assert";
import { replicaSetStatus, replicaSetStatusChanged } from "../../../lib/cloud/controllers/_replica_set_status.ts";
import { pod, rs } from "./_fixtures.ts";

test("replicaSetStatus() counts labelled, ready and available pods", () => {
  const set = rs("r", 3);
  set.metadata!.generation = 4;
  set.spec!.minReadySeconds = 10;
  set.spec!.template = { metadata: { labels: { app: "x", tier: "web" } } };
  const now = Date.parse("2026-01-01T00:01:00Z");
  const pods = [
    pod("a", { readySince: "2026-01-01T00:00:00Z", labels: { app: "x", tier: "web" } }),
    pod("b", { readySince: "2026-01-01T00:00:55Z" }),
    pod("c"),
  ];
  const { status, recheckInMs } = replicaSetStatus(set, pods, undefined, now);
  assert.equal(status, { replicas: 3, fullyLabeledReplicas: 1, readyReplicas: 2, availableReplicas: 1, observedGeneration: 4 });
  assert.is(recheckInMs, 5000);
});

test("replicaSetStatus() adds and keeps the ReplicaFailure condition", () => {
  const set = rs("r", 1);
  const failure = { reason: "FailedCreate" as const, message: "quota" };
  const first = replicaSetStatus(set, [], failure).status;
  assert.is(first.conditions![0]!.type, "ReplicaFailure");
  set.status = first;
  const second = replicaSetStatus(set, [], failure).status;
  assert.is(second.conditions![0], first.conditions![0]);
  assert.is(replicaSetStatus(set, [], undefined).status.conditions, undefined);
});

test("replicaSetStatusChanged() compares counts and conditions", () => {
  const s = { replicas: 1, readyReplicas: 1, availableReplicas: 1, fullyLabeledReplicas: 1, observedGeneration: 1 };
  assert.not.ok(replicaSetStatusChanged(s, { ...s }));
  assert.ok(replicaSetStatusChanged(s, { ...s, readyReplicas: 0 }));
  assert.ok(replicaSetStatusChanged(undefined, s));
});

test.run();
