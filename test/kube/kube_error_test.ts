import { test } from "uvu";
import * as assert from "uvu/assert";
import { KubeError, type KubeErrorCode } from "../../lib/kube/kube_error.ts";

const WIRE: [KubeErrorCode, number, string][] = [
  ["FieldLabelNotSupported", 400, "BadRequest"],
  ["InvalidPatch", 400, "BadRequest"],
  ["PatchFailed", 422, "Invalid"],
];

for (const [code, status, reason] of WIRE) {
  test(`KubeError carries status ${status} and reason ${reason} for ${code}`, () => {
    const cause = new Error("inner");
    const err = new KubeError(code, "text", { cause });
    assert.instance(err, Error);
    assert.is(err.name, "KubeError");
    assert.is(err.code, code);
    assert.is(err.status, status);
    assert.is(err.reason, reason);
    assert.is(err.message, "text");
    assert.is(err.cause, cause);
  });
}

test.run();
