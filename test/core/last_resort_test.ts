import { EventEmitter } from "node:events";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { installLastResort } from "../../lib/core/index.ts";
import { createLogger } from "../../lib/log/index.ts";

test("installLastResort() logs uncaught exceptions and unhandled rejections, counts them, and can be removed", () => {
  const lines: string[] = [];
  const emitter = new EventEmitter();
  const lr = installLastResort({ log: createLogger("t", { level: "debug", write: (l) => lines.push(l) }), process: emitter as unknown as NodeJS.Process });
  emitter.emit("uncaughtException", new TypeError("node.status?.conditions?.find is not a function"));
  emitter.emit("unhandledRejection", new Error("late"));
  assert.equal(lr.counts, { uncaught: 1, unhandled: 1 });
  assert.match(lines[0]!, /uncaught exception, process keeps running.*find is not a function/);
  assert.match(lines[1]!, /unhandled promise rejection.*late/);
  lr.remove();
  assert.is(emitter.listenerCount("uncaughtException"), 0);
});

test.run();
