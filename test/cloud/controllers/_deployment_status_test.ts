import { test } from "uvu";
import * as assert from "uvu/assert";
import { deploymentStatus, deploymentStatusChanged } from "../../../lib/cloud/controllers/_deployment_status.ts";
import { deployment, rs } from "./_fixtures.ts";

const reasons = (s: { conditions?: { type: string; reason?: string }[] }) => (s.conditions ?? []).map((c) => `${c.type}=${c.reason}`);

test("deploymentStatus() sums the sets and reports a complete rollout", () => {
  const n = rs("new", 3, 3);
  const { status, deadlineInMs } = deploymentStatus(deployment(3), n, [n, rs("old", 0, 0)], 0, "none");
  assert.equal({ ...status, conditions: undefined }, {
    observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 0, conditions: undefined,
  });
  assert.equal(reasons(status), ["Available=MinimumReplicasAvailable", "Progressing=NewReplicaSetAvailable"]);
  assert.is(status.conditions![1]!.message, 'ReplicaSet "new" has successfully progressed.');
  assert.is(deadlineInMs, undefined);
});

test("deploymentStatus() reports creation, progress and lack of availability", () => {
  const n = rs("new", 1, 0);
  const created = deploymentStatus(deployment(3), n, [n, rs("old", 3, 3)], 0, "created").status;
  assert.equal(reasons(created), ["Available=MinimumReplicasAvailable", "Progressing=NewReplicaSetCreated"]);
  assert.is(created.conditions![1]!.message, 'Created new replica set "new"');
  const d = deployment(3);
  d.status = created;
  const moved = deploymentStatus(d, rs("new", 1, 1), [rs("new", 1, 1), rs("old", 2, 2)], 0, "none").status;
  assert.equal(reasons(moved), ["Available=MinimumReplicasAvailable", "Progressing=ReplicaSetUpdated"]);
  const short = deploymentStatus(deployment(3), rs("new", 3, 1), [rs("new", 3, 1)], 0, "none").status;
  assert.equal(reasons(short)[0], "Available=MinimumReplicasUnavailable");
  assert.is(short.conditions![0]!.message, "Deployment does not have minimum availability.");
});

test("deploymentStatus() reports ProgressDeadlineExceeded after progressDeadlineSeconds without progress", () => {
  const d = deployment(3, { progressDeadlineSeconds: 10 });
  const old = "2026-01-01T00:00:00Z" as unknown as Date;
  d.status = {
    observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 0, availableReplicas: 0,
    conditions: [{ type: "Progressing", status: "True", reason: "ReplicaSetUpdated", lastUpdateTime: old, lastTransitionTime: old }],
  };
  const n = rs("new", 3, 0);
  const at = Date.parse("2026-01-01T00:00:05Z");
  assert.is(deploymentStatus(d, n, [n], 0, "none", at).deadlineInMs, 5000);
  const late = deploymentStatus(d, n, [n], 0, "none", Date.parse("2026-01-01T00:00:11Z")).status;
  const p = late.conditions!.find((c) => c.type === "Progressing")!;
  assert.equal([p.status, p.reason, p.message], ["False", "ProgressDeadlineExceeded", 'ReplicaSet "new" has timed out progressing.']);
});

test("deploymentStatusChanged() ignores nothing a reader sees and nothing else", () => {
  const n = rs("new", 3, 3);
  const { status } = deploymentStatus(deployment(3), n, [n], 0, "none");
  assert.not.ok(deploymentStatusChanged(status, structuredClone(status)));
  assert.ok(deploymentStatusChanged(status, { ...status, availableReplicas: 2 }));
  assert.ok(deploymentStatusChanged(undefined, status));
});

test.run();
