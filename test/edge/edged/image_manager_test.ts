import { test } from "uvu";
import * as assert from "uvu/assert";
import { pullPolicyOf } from "../../../lib/edge/edged/image_manager.ts";

test("pullPolicyOf() defaults to Always for latest or untagged images and IfNotPresent otherwise", () => {
  assert.is(pullPolicyOf("busybox", undefined), "Always");
  assert.is(pullPolicyOf("busybox:latest", undefined), "Always");
  assert.is(pullPolicyOf("registry:5000/busybox", undefined), "Always");
  assert.is(pullPolicyOf("busybox:1.36", undefined), "IfNotPresent");
  assert.is(pullPolicyOf("registry:5000/busybox:1.36", undefined), "IfNotPresent");
  assert.is(pullPolicyOf("busybox@sha256:abc", undefined), "IfNotPresent");
  assert.is(pullPolicyOf("busybox:latest", "Never"), "Never");
});

test.run();
