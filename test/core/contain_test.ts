import { test } from "uvu";
import * as assert from "uvu/assert";
import { contain, containedTimeout } from "../../lib/core/index.ts";
import { createLogger } from "../../lib/log/index.ts";
import { waitUntil } from "../support/process.ts";

const capture = () => {
  const lines: string[] = [];
  return { lines, log: createLogger("t", { level: "debug", write: (l) => lines.push(l) }) };
};

test("contain() turns a throw into one error line with the callback's name and context", () => {
  const { lines, log } = capture();
  const f = contain((n: { status?: { conditions?: unknown } }) => (n.status!.conditions as unknown[]).find(() => true), { log, what: "scheduler node update", context: { object: "n1" } });
  f({ status: { conditions: "x" } });
  assert.is(lines.length, 1);
  assert.match(lines[0]!, /callback failed, contained/);
  assert.match(lines[0]!, /scheduler node update/);
  assert.match(lines[0]!, /n1/);
});

test("contain() also catches a rejected promise", async () => {
  const { lines, log } = capture();
  contain(async () => {
    throw new Error("late");
  }, { log, what: "async handler" })();
  await waitUntil(() => lines.length === 1, 2000, "rejection logged");
  assert.match(lines[0]!, /late/);
});

test("containedTimeout() runs the callback and contains its throw", async () => {
  const { lines, log } = capture();
  containedTimeout(() => {
    throw new TypeError("boom");
  }, 1, { log, what: "timer" });
  await waitUntil(() => lines.length === 1, 2000, "timer failure logged");
  assert.match(lines[0]!, /boom/);
});

test.run();
