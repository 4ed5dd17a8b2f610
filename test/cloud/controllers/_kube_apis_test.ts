import { ApiException } from "@kubernetes/client-node";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { conflictRetryMs, messageOf, statusOf } from "../../../lib/cloud/controllers/_kube_apis.ts";

test("messageOf() and statusOf() read the API's Status", () => {
  const e = new ApiException(403, "Forbidden", JSON.stringify({ kind: "Status", message: "namespace shop is being terminated" }), {});
  assert.is(statusOf(e), 403);
  assert.is(messageOf(e), "namespace shop is being terminated");
  assert.is(messageOf(new ApiException(500, "oops", "plain text", {})), "plain text");
  assert.is(messageOf(new Error("boom")), "boom");
  assert.is(statusOf(new Error("boom")), undefined);
});

test("conflictRetryMs() retries conflicts only", () => {
  assert.is(typeof conflictRetryMs(new ApiException(409, "Conflict", "{}", {})), "number");
  assert.is(conflictRetryMs(new ApiException(500, "x", "{}", {})), undefined);
});

test.run();
