import { test } from "uvu";
import * as assert from "uvu/assert";
import { newMessage, parseStreamFrame, STREAM_GROUP, streamBytes, streamData, streamMessage } from "../../lib/model/index.ts";

const frame = (operation: string, content: unknown, group = STREAM_GROUP) =>
  newMessage({ source: "t", group, operation, resource: "default/pod/p", content });

test("streamMessage() marks only open as sync and never carries a resourceVersion", () => {
  const open = streamMessage("podstreams", "node/n/default/pod/p", "open", {
    id: "s1", kind: "logs", container: "c", uid: "u", window: 10, maxFrameBytes: 4, logs: { follow: true, previous: false, timestamps: false },
  });
  assert.is(open.header.sync, true);
  assert.is(open.header.resourceversion, "");
  assert.is(open.route.group, "stream");
  const credit = streamMessage("podstreams", "default/pod/p", "credit", { id: "s1", bytes: 5 });
  assert.is(credit.header.sync, false);
  assert.is(credit.header.resourceversion, "");
});

test("streamData() and streamBytes() round-trip bytes through base64, also from a view into a larger buffer", () => {
  const big = Buffer.from("xxhello\x00\xffyy", "latin1");
  const d = streamData("s1", "stdout", big.subarray(2, 9));
  assert.equal([...streamBytes(d)], [...big.subarray(2, 9)]);
});

test("parseStreamFrame() reads every operation's content", () => {
  const open = parseStreamFrame(frame("open", { id: "a", kind: "exec", container: "c", window: 8, maxFrameBytes: 4, exec: { command: ["ls", "-l"], stdin: true, tty: false, stdout: true, stderr: true } }));
  assert.equal(open, { op: "open", content: { id: "a", kind: "exec", container: "c", uid: "", window: 8, maxFrameBytes: 4, exec: { command: ["ls", "-l"], stdin: true, stdout: true, stderr: true, tty: false } } });
  const logs = parseStreamFrame(frame("open", { id: "a", kind: "logs", container: "c", window: 8, maxFrameBytes: 4, logs: { follow: true, tailLines: 5 } }));
  assert.equal(logs.content, { id: "a", kind: "logs", container: "c", uid: "", window: 8, maxFrameBytes: 4, logs: { follow: true, previous: false, timestamps: false, tailLines: 5, sinceSeconds: undefined, limitBytes: undefined } });
  assert.equal(parseStreamFrame(frame("exit", { id: "a", exitCode: 3 })).content, { id: "a", exitCode: 3 });
  assert.equal(parseStreamFrame(frame("exit", { id: "a", error: "gone" })).content, { id: "a", error: "gone", status: 500 });
  assert.equal(parseStreamFrame(frame("close", { id: "a", channel: "stdin" })).content, { id: "a", channel: "stdin" });
  assert.equal(parseStreamFrame(frame("reset", { live: ["a"] })).content, { live: ["a"] });
});

test("parseStreamFrame() names the bad field of a malformed frame", () => {
  const bad: [string, unknown, RegExp][] = [
    ["open", { id: "a", kind: "shell", container: "c", window: 1, maxFrameBytes: 1 }, /kind must be/],
    ["open", { id: "a", kind: "exec", container: "c", window: 1, maxFrameBytes: 1, exec: { command: [] } }, /exec.command/],
    ["open", { id: "a", kind: "logs", container: "", window: 1, maxFrameBytes: 1 }, /container must be/],
    ["data", { id: "a", channel: "stdweird", data: "" }, /channel must be/],
    ["credit", { id: "a", bytes: -1 }, /bytes must be a non-negative integer/],
    ["credit", { bytes: 1 }, /id must be/],
    ["close", { id: "a", channel: "stdout" }, /channel must be "stdin"/],
    ["reset", { live: [1] }, /live must be/],
    ["data", "not an object", /content is not an object/],
    ["explode", { id: "a" }, /unknown operation "explode"/],
  ];
  for (const [op, content, re] of bad) assert.throws(() => parseStreamFrame(frame(op, content)), re, op);
  assert.throws(() => parseStreamFrame(frame("data", {}, "resource")), /group is "resource"/);
});

test.run();
