import { ApiException, type V1OwnerReference, type V1Pod } from "@kubernetes/client-node";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { claimObjects } from "../../../lib/cloud/controllers/_claim.ts";
import { labelSelectorFromObject } from "../../../lib/kube/index.ts";
import { pod } from "./_fixtures.ts";

const ref: V1OwnerReference = { apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: "u1", controller: true, blockOwnerDeletion: true };
const selector = labelSelectorFromObject({ matchLabels: { app: "x" } });
const owned = (name: string, labels = { app: "x" }, uid = "u1"): V1Pod => {
  const p = pod(name, { labels });
  p.metadata!.ownerReferences = [{ ...ref, uid }];
  return p;
};

test("claimObjects() keeps its own, adopts matching orphans and releases what no longer matches", async () => {
  const writes: [string, V1OwnerReference[]][] = [];
  let rechecks = 0;
  const writer = {
    setOwnerRefs: async (p: V1Pod, refs: V1OwnerReference[]) => (writes.push([p.metadata!.name!, refs]), { ...p, metadata: { ...p.metadata, ownerReferences: refs } }),
    ownerStillLive: async () => (rechecks++, true),
  };
  const claimed = await claimObjects(ref, selector, [owned("mine"), pod("orphan"), owned("moved", { app: "y" } as never), owned("other", undefined, "u2"), pod("stranger", { labels: { app: "z" } })], true, writer);
  assert.equal(claimed.map((p) => p.metadata?.name), ["mine", "orphan"]);
  assert.equal(writes, [["orphan", [ref]], ["moved", []]]);
  assert.is(rechecks, 1);
});

test("claimObjects() adopts nothing when the API says the owner is gone or being deleted", async () => {
  const writer = { setOwnerRefs: async (): Promise<V1Pod> => { throw new Error("no adoption expected"); }, ownerStillLive: async () => false };
  assert.equal(await claimObjects(ref, selector, [pod("orphan"), pod("orphan2")], true, writer), []);
});

test("claimObjects() adopts nothing while the owner is being deleted and skips objects that changed", async () => {
  const failing = (e: Error) => ({ setOwnerRefs: async (): Promise<V1Pod> => { throw e; }, ownerStillLive: async () => true });
  const conflict = new ApiException(409, "Conflict", "{}", {});
  assert.equal(await claimObjects(ref, selector, [pod("orphan")], false, failing(conflict)), []);
  assert.equal(await claimObjects(ref, selector, [pod("orphan")], true, failing(conflict)), []);
  const broken = new Error("connection reset");
  await claimObjects(ref, selector, [pod("orphan")], true, failing(broken)).then(() => assert.unreachable("should throw"), (e) => assert.is(e, broken));
});

test.run();
