import { test } from "uvu";
import * as assert from "uvu/assert";
import { apiTime, microTime, timeMs } from "../../../lib/cloud/controllers/_time.ts";

test("timeMs() reads Dates and strings and rejects junk", () => {
  assert.is(timeMs("2026-01-01T00:00:00Z"), Date.UTC(2026, 0, 1));
  assert.is(timeMs(new Date(5)), 5);
  assert.is(timeMs("nope"), undefined);
  assert.is(timeMs(undefined), undefined);
});

test("apiTime() and microTime() format whole and micro seconds", () => {
  assert.is(apiTime(Date.UTC(2026, 0, 1, 0, 0, 0, 123)), "2026-01-01T00:00:00Z");
  assert.is(microTime(Date.UTC(2026, 0, 1, 0, 0, 0, 123)), "2026-01-01T00:00:00.123000Z");
});

test.run();
