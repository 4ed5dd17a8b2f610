/**
 * waitUntil, the one polling helper of the tests: it returns the condition's value, treats a throw as "not yet",
 * and a time-out names what was awaited with the last error or value and the progress text.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { waitUntil } from "./support/process.ts";

test("returns the first truthy value, retrying through falsy values and throws", async () => {
  let n = 0;
  const v = await waitUntil(() => {
    n++;
    if (n === 1) throw new Error("not up yet");
    return n >= 3 && { n };
  }, 2000, "the third try");
  assert.equal(v, { n: 3 });
});

test("a time-out names what was awaited, the last error and the progress", async () => {
  const started = Date.now();
  const e = await waitUntil(() => {
    throw new Error("connection refused");
  }, 100, "the server", { progress: () => "2 of 3 up" }).catch((x: Error) => x);
  assert.instance(e, Error);
  assert.is((e as Error).message, "timed out after 100 ms waiting for the server: connection refused; 2 of 3 up");
  assert.ok(Date.now() - started >= 100);
});

test("a time-out shows the last falsy value that is worth showing", async () => {
  const e = await waitUntil(() => 0, 50, "a count").catch((x: Error) => x);
  assert.is((e as Error).message, "timed out after 50 ms waiting for a count (last: 0)");
  const quiet = await waitUntil(() => undefined, 50, "anything").catch((x: Error) => x);
  assert.is((quiet as Error).message, "timed out after 50 ms waiting for anything");
});

test("a fixed interval is kept; without one the checks back off to 100 ms", async () => {
  let backedOff = 0;
  await waitUntil(() => ++backedOff >= 1000, 300, "never").catch(() => undefined);
  let everyMs = 0;
  await waitUntil(() => ++everyMs >= 1000, 300, "never", { intervalMs: 1 }).catch(() => undefined);
  // 10+20+40+80+100+100 ms: about 6 checks in 300 ms with back-off, against well over 30 at 1 ms
  assert.ok(backedOff <= 8, `back-off checked ${backedOff} times`);
  assert.ok(everyMs > 30, `a 1 ms interval checked only ${everyMs} times`);
});

test.run();
