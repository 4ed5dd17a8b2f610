import { test } from "uvu";
import * as assert from "uvu/assert";
import { newMessage } from "../../../lib/model/index.ts";
import { Outbox } from "../../../lib/cloud/cloudhub/outbox.ts";

const msg = (resource: string, rv: string) =>
  newMessage({ source: "edgecontroller", group: "resource", operation: "update", resource, content: { rv }, resourceVersion: rv });

const big = { messages: 100, bytes: 1 << 20 };

test("Outbox.add() tracks a message until ack() settles it", () => {
  const box = new Outbox(big);
  const m = msg("default/pod/a", "1");
  assert.is(box.add(m, "frame").outcome, "added");
  assert.is(box.size, 1);
  assert.equal(box.all().map((e) => e.id), [m.header.msg_id]);
  assert.is(box.ack(m.header.msg_id), true);
  assert.is(box.ack(m.header.msg_id), false);
  assert.is(box.size, 0);
  assert.is(box.bytes, 0);
});

test("Outbox.add() keeps only the newest version per object", () => {
  const box = new Outbox(big);
  const v1 = msg("default/pod/a", "1");
  const v2 = msg("default/pod/a", "2");
  box.add(v1, "f1");
  assert.is(box.add(v2, "f2").outcome, "replaced");
  assert.is(box.size, 1);
  assert.equal(box.all().map((e) => e.id), [v2.header.msg_id]);
  assert.is(box.ack(v1.header.msg_id), false, "an ACK for the replaced version settles nothing");
  assert.is(box.add(msg("default/pod/a", "1"), "f3").outcome, "stale");
  assert.equal(box.all().map((e) => e.resourceVersion), ["2"]);
});

test("Outbox.add() compares versions numerically, not as text", () => {
  const box = new Outbox(big);
  box.add(msg("default/pod/a", "9"), "f");
  assert.is(box.add(msg("default/pod/a", "10"), "f").outcome, "replaced");
  assert.is(box.add(msg("default/pod/a", "9"), "f").outcome, "stale");
});

test("Outbox.due() returns unsent entries and entries past the ACK timeout, oldest first", () => {
  const box = new Outbox(big);
  const [a, b, c] = ["a", "b", "c"].map((n) => box.add(msg(`default/pod/${n}`, "1"), n).entry!);
  assert.equal(box.due(1000, 500).map((e) => e.key), ["default/pod/a", "default/pod/b", "default/pod/c"]);
  box.markSent(a, 1000);
  box.markSent(b, 1200);
  assert.equal(box.due(1300, 500).map((e) => e.key), ["default/pod/c"]);
  assert.equal(box.due(1500, 500).map((e) => e.key), ["default/pod/a", "default/pod/c"]);
  box.markSent(c, 1500);
  box.markAllUnsent();
  assert.equal(box.due(1500, 500).length, 3);
  assert.is(a.attempts, 1);
});

test("Outbox.add() evicts the oldest entries beyond the count or byte limit", () => {
  const box = new Outbox({ messages: 2, bytes: 1 << 20 });
  box.add(msg("default/pod/a", "1"), "f");
  box.add(msg("default/pod/b", "1"), "f");
  const r = box.add(msg("default/pod/c", "1"), "f");
  assert.equal(r.evicted.map((e) => e.key), ["default/pod/a"]);
  assert.equal(box.all().map((e) => e.key), ["default/pod/b", "default/pod/c"]);
  const bytes = new Outbox({ messages: 100, bytes: 10 });
  bytes.add(msg("default/pod/a", "1"), "123456");
  const r2 = bytes.add(msg("default/pod/b", "1"), "123456");
  assert.equal(r2.evicted.map((e) => e.key), ["default/pod/a"]);
  assert.is(bytes.bytes, 6);
});

test.run();
