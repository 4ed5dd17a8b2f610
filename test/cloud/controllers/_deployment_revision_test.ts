import { test } from "uvu";
import * as assert from "uvu/assert";
import { maxRevision, newReplicaSetAnnotations, revisionOf } from "../../../lib/cloud/controllers/_deployment_revision.ts";
import { deployment, rs } from "./_fixtures.ts";

test("revisionOf() and maxRevision() read the revision annotation", () => {
  const a = rs("a", 0, 0, { annotations: { "deployment.kubernetes.io/revision": "3" } });
  assert.is(revisionOf(a), 3);
  assert.is(revisionOf(rs("b", 0)), 0);
  assert.is(maxRevision([a, rs("b", 0), rs("c", 0, 0, { annotations: { "deployment.kubernetes.io/revision": "x" } })]), 3);
});

test("newReplicaSetAnnotations() raises the revision, keeps the history and copies the change cause", () => {
  const d = deployment(3);
  d.metadata!.annotations = { "kubernetes.io/change-cause": "set image", "kubectl.kubernetes.io/last-applied-configuration": "{}", "deployment.kubernetes.io/revision": "2" };
  const out = newReplicaSetAnnotations(d, { "deployment.kubernetes.io/revision": "1" }, 3, 1);
  assert.equal(out, {
    "deployment.kubernetes.io/revision": "3",
    "deployment.kubernetes.io/revision-history": "1",
    "kubernetes.io/change-cause": "set image",
    "deployment.kubernetes.io/desired-replicas": "3",
    "deployment.kubernetes.io/max-replicas": "4",
  });
  const again = newReplicaSetAnnotations(d, out, 4, 1);
  assert.is(again["deployment.kubernetes.io/revision-history"], "1,3");
  assert.is(newReplicaSetAnnotations(d, out, 3, 1)["deployment.kubernetes.io/revision"], "3");
});

test.run();
