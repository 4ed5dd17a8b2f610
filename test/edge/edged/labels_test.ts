import { test } from "uvu";
import * as assert from "uvu/assert";
import { attemptOf, containerName, specHash } from "../../../lib/edge/edged/labels.ts";

test("specHash() ignores key order and undefined fields but sees every value", () => {
  const a = { name: "c", image: "i:1", env: [{ name: "A", value: "1" }], ports: undefined };
  const b = { env: [{ value: "1", name: "A" }], image: "i:1", name: "c" };
  assert.is(specHash(a), specHash(b));
  assert.is.not(specHash(a), specHash({ ...b, image: "i:2" }));
  assert.is.not(specHash({ args: ["a", "b"] }), specHash({ args: ["b", "a"] }));
  assert.match(specHash(a), /^[0-9a-f]{16}$/);
});

test("attemptOf() reads the attempt label, 0 when absent or invalid; containerName() is unique per attempt", () => {
  assert.is(attemptOf({ "kubeedge-ts.container.attempt": "4" }), 4);
  assert.is(attemptOf({}), 0);
  assert.is(attemptOf({ "kubeedge-ts.container.attempt": "x" }), 0);
  assert.is(containerName("ns", "p", "u1", "c", 2), "k8s_c_p_ns_u1_2");
});

test.run();
