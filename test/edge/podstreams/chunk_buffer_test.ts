import { test } from "uvu";
import * as assert from "uvu/assert";
import { ChunkBuffer } from "../../../lib/edge/podstreams/chunk_buffer.ts";
import { waitUntil } from "../../support/process.ts";

const text = (s: string) => new TextEncoder().encode(s);

test("ChunkBuffer.take() merges the chunks of one turn into a frame of at most max bytes", async () => {
  const b = new ChunkBuffer(1000);
  const pushing = (async () => {
    for (let i = 0; i < 10; i++) await b.push(text("line\n"));
    b.end();
  })();
  const first = await b.take(32);
  assert.is(Buffer.from(first!).toString(), "line\n".repeat(6) + "li", "cut at max, the rest stays");
  const second = await b.take(32);
  assert.is(Buffer.from(second!).toString(), "ne\n" + "line\n".repeat(3));
  assert.is(await b.take(32), undefined, "ended and drained");
  await pushing;
});

test("ChunkBuffer.push() waits at the limit until the sender takes", async () => {
  const b = new ChunkBuffer(10);
  let pushed = 0;
  const pushing = (async () => {
    for (let i = 0; i < 5; i++) {
      await b.push(text("abcd"));
      pushed++;
    }
  })();
  await waitUntil(() => pushed >= 2, 2000, "two chunks pushed", { intervalMs: 1 });
  await new Promise((r) => setTimeout(r, 10)); // a window: the third chunk must wait for room
  assert.is(pushed, 2, "the third chunk reached the limit and waits");
  assert.is(b.size, 12);
  await b.take(8);
  await waitUntil(() => pushed >= 3, 2000, "the third chunk pushed once there is room", { intervalMs: 1 });
  b.end();
  await pushing;
  assert.is(pushed, 5, "an ended buffer lets a waiting push return");
});

test.run();
