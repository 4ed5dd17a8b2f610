import { test } from "uvu";
import * as assert from "uvu/assert";
import { controllerRefOf, isControlledBy, newControllerRef } from "../../../lib/cloud/controllers/_owner_refs.ts";

const owner = { metadata: { name: "rs", uid: "u1" } };

test("newControllerRef() makes a blocking controller reference and isControlledBy() recognises it", () => {
  const ref = newControllerRef(owner, "apps/v1", "ReplicaSet");
  assert.equal(ref, { apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: "u1", controller: true, blockOwnerDeletion: true });
  const obj = { metadata: { ownerReferences: [{ ...ref, controller: false, uid: "u0" }, ref] } };
  assert.is(controllerRefOf(obj), ref);
  assert.ok(isControlledBy(obj, owner));
  assert.not.ok(isControlledBy({ metadata: {} }, owner));
});

test.run();
