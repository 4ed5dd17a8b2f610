import { test } from "uvu";
import * as assert from "uvu/assert";
import { withDefaults } from "../../../lib/cloud/controllers/_defaults.ts";

test("withDefaults() keeps defaults for absent and undefined options", () => {
  assert.equal(withDefaults({ a: 1, b: 2 }, { a: undefined, c: 3 }), { a: 1, b: 2, c: 3 });
  assert.equal(withDefaults({ a: 1 }, { a: 0 }), { a: 0 });
});

test.run();
