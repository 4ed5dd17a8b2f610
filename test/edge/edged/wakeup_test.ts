import { test } from "uvu";
import * as assert from "uvu/assert";
import { Wakeup } from "../../../lib/edge/edged/wakeup.ts";

// Wakeup's timers do not keep a process alive (a stopping edge_core must not wait for them): this one does
const keepAlive = setInterval(() => {}, 1000);
test.after(() => clearInterval(keepAlive));

test("Wakeup.wait() returns at once for the first pass and after wake(), else waits for soon() or the maximum", async () => {
  const w = new Wakeup();
  let t = Date.now();
  await w.wait(5000);
  assert.ok(Date.now() - t < 50, "the first pass runs at once");
  w.soon(100);
  t = Date.now();
  await w.wait(5000);
  assert.ok(Date.now() - t >= 90 && Date.now() - t < 1000, "soon() bounds the wait");
  t = Date.now();
  setTimeout(() => w.wake(), 50);
  await w.wait(5000);
  assert.ok(Date.now() - t < 1000, "wake() ends the wait");
  t = Date.now();
  await w.wait(120);
  assert.ok(Date.now() - t >= 110, "the maximum applies when nothing happens");
});

test("Wakeup.wake() during a pass makes the next wait return at once", async () => {
  const w = new Wakeup();
  await w.wait(10);
  w.wake();
  const t = Date.now();
  await w.wait(5000);
  assert.ok(Date.now() - t < 50);
});

test.run();
