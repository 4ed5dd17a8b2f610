import { test } from "uvu";
import * as assert from "uvu/assert";
import { type AppendTarget, JournalWriter } from "../../lib/store/journal_writer.ts";
import { StoreError } from "../../lib/store/store_error.ts";

/** A target whose appends complete when the test says so, recording each batch. */
function slowTarget() {
  const batches: string[] = [];
  const waiting: Array<() => void> = [];
  let bytes = 0;
  const target: AppendTarget = {
    get bytes() {
      return bytes;
    },
    append(data) {
      batches.push(data);
      bytes += data.length;
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
  // Completes every append the writer makes over the next event-loop turns (it yields a turn between batches).
  const finishAll = async () => {
    for (let i = 0; i < 20; i++) {
      waiting.splice(0).forEach((r) => r());
      await new Promise((r) => setImmediate(r));
    }
  };
  return { target, batches, waiting, finishAll };
}

test("JournalWriter.append() batches lines that arrive while a write is in flight into one append", async () => {
  const { target, batches, waiting, finishAll } = slowTarget();
  const writer = new JournalWriter(target, { maxPendingBytes: 1 << 20 });
  const first = writer.append("a\n");
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  assert.equal(batches, ["a\n"]);
  const rest = Array.from({ length: 50 }, (_, i) => writer.append(`${i}\n`));
  assert.is(waiting.length, 1);
  await finishAll();
  await Promise.all([first, ...rest]);
  assert.is(batches.length, 2);
  assert.is(batches[1]!.split("\n").length - 1, 50);
});

test("JournalWriter.append() resolves only once its batch is durable", async () => {
  const { target, waiting } = slowTarget();
  const writer = new JournalWriter(target, { maxPendingBytes: 1 << 20 });
  let done = false;
  const p = writer.append("a\n").then(() => (done = true));
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  assert.not.ok(done);
  waiting.splice(0).forEach((r) => r());
  await p;
  assert.ok(done);
});

test("JournalWriter.full turns true at maxPendingBytes and durable() waits for the queue", async () => {
  const { target, finishAll } = slowTarget();
  const writer = new JournalWriter(target, { maxPendingBytes: 10 });
  writer.append("0123456789\n");
  assert.ok(writer.full);
  const drained = writer.durable();
  await finishAll();
  await drained;
  assert.not.ok(writer.full);
});

test("JournalWriter rejects the failed batch, what is queued and every later append with STORE_IO", async () => {
  let calls = 0;
  const target: AppendTarget = {
    bytes: 0,
    append: () => (++calls === 1 ? new Promise((r) => setTimeout(r, 5)) : Promise.reject(new Error("ENOSPC: no space left"))),
  };
  const writer = new JournalWriter(target, { maxPendingBytes: 1 << 20 });
  const ok = writer.append("a\n");
  await new Promise((r) => setImmediate(r));
  const failed = writer.append("b\n");
  await ok;
  const err = await failed.catch((e) => e);
  assert.instance(err, StoreError);
  assert.is(err.code, "STORE_IO");
  assert.match(err.message, /^Cannot write journal: ENOSPC/);
  assert.is(await writer.append("c\n").catch((e) => e), err);
  assert.is(writer.failure, err);
  await writer.idle();
});

test("JournalWriter calls onBatch before each write and switches to the target its step returns", async () => {
  const first = slowTarget();
  const second = slowTarget();
  const writer = new JournalWriter(first.target, {
    maxPendingBytes: 1 << 20,
    onBatch: (target) => (target === first.target ? async () => second.target : undefined),
  });
  const a = writer.append("a\n");
  await first.finishAll();
  await a;
  const b = writer.append("b\n");
  await second.finishAll();
  await b;
  assert.equal(first.batches, ["a\n"]);
  assert.equal(second.batches, ["b\n"]);
  assert.is(writer.target, second.target);
});

test.run();
