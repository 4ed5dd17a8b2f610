/**
 * PodStreamsCloud on a real Bus, with a stand-in for CloudHub that records what the module sends and lets the test
 * play the node's side of the stream protocol.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { ExecSession, PodTarget, TerminalSize } from "../../../lib/cloud/apiserver/index.ts";
import { PodStreamsCloud, type StreamError } from "../../../lib/cloud/podstreams/index.ts";
import { Bus, type Module, type ModuleContext } from "../../../lib/core/index.ts";
import { silentLogger } from "../../../lib/log/index.ts";
import {
  errorReplyTo, type Message, newMessage, streamBytes, streamData, streamMessage, type StreamContent, type StreamOpName,
} from "../../../lib/model/index.ts";
import { waitUntil } from "../../support/process.ts";

const WINDOW = 1024;
const FRAME = 256;

/** Stands in for CloudHub: records frames for nodes. */
class HubStandIn implements Module {
  readonly name = "cloudhub";
  readonly group = "cloudhub";
  readonly sent: Message[] = [];
  #seen = 0;
  async start(ctx: ModuleContext): Promise<void> {
    for await (const msg of ctx.inbox) this.sent.push(msg);
  }
  /** The next frame with `op` after those already taken. */
  async next<O extends StreamOpName>(op: O, timeoutMs = 2000): Promise<Message<StreamContent<O>>> {
    const at = await waitUntil(() => this.sent.findIndex((m, idx) => idx >= this.#seen && m.route.operation === op) + 1, timeoutMs, `a "${op}" frame`, {
      intervalMs: 2,
      progress: () => `sent: ${this.sent.map((m) => m.route.operation).join(",")}`,
    });
    this.#seen = at;
    return this.sent[at - 1] as Message<StreamContent<O>>;
  }
  ops(): string[] {
    return this.sent.map((m) => m.route.operation);
  }
}

type Setup = { bus: Bus; hub: HubStandIn; streams: PodStreamsCloud; node(op: StreamOpName, content: unknown, node?: string): Promise<void>; stop(): Promise<void> };

async function setup(options: ConstructorParameters<typeof PodStreamsCloud>[0] = {}): Promise<Setup> {
  const bus = new Bus({ log: silentLogger });
  const hub = new HubStandIn();
  const streams = new PodStreamsCloud({ windowBytes: WINDOW, maxFrameBytes: FRAME, openTimeoutMs: 1000, log: silentLogger, ...options });
  bus.register(hub);
  bus.register(streams);
  await bus.start();
  return {
    bus, hub, streams,
    node: (op, content, node = "edge-1") => bus.send("podstreams", streamMessage("cloudhub", `node/${node}/default/pod/web`, op, content as never)),
    stop: () => bus.stop(),
  };
}

const target: PodTarget = { namespace: "default", pod: "web", container: "main", nodeName: "edge-1", uid: "u1" };
const bytes = (s: string) => new TextEncoder().encode(s);

async function collect(it: AsyncIterable<Uint8Array>): Promise<string> {
  let s = "";
  for await (const c of it) s += Buffer.from(c).toString();
  return s;
}

async function rejection(p: Promise<unknown>): Promise<StreamError> {
  try {
    await p;
  } catch (e) {
    return e as StreamError;
  }
  throw new Error("expected a rejection");
}

test("logs() opens a stream on the node and returns its output", async () => {
  const t = await setup();
  try {
    const logs = t.streams.logs(target, { follow: false, previous: false, timestamps: true, tailLines: 5 }, new AbortController().signal);
    const open = await t.hub.next("open");
    assert.is(open.route.resource, "node/edge-1/default/pod/web");
    assert.is(open.header.sync, true);
    assert.is(open.header.resourceversion, "", "untracked by cloudhub");
    assert.equal(open.content.logs, { follow: false, previous: false, timestamps: true, tailLines: 5, sinceSeconds: undefined, limitBytes: undefined });
    assert.is(open.content.window, WINDOW);
    const id = open.content.id;
    await t.node("opened", { id, window: 0 });
    await t.node("data", streamData(id, "stdout", bytes("one\n")));
    await t.node("data", streamData(id, "stdout", bytes("two\n")));
    await t.node("exit", { id });
    assert.is(await collect(await logs), "one\ntwo\n");
    assert.is(t.streams.stats().active, 0);
  } finally {
    await t.stop();
  }
});

test("logs() fails with the node's status when it refuses, and with 503 when the hub says the node is not linked", async () => {
  const t = await setup();
  try {
    const refused = t.streams.logs(target, { follow: false, previous: false, timestamps: false }, new AbortController().signal);
    const open = await t.hub.next("open");
    await t.node("opened", { id: open.content.id, window: 0 });
    await t.node("exit", { id: open.content.id, error: 'Cannot find container "main"', status: 404 });
    const e = await rejection(refused);
    assert.is(e.status, 404);
    assert.is(e.code, "STREAM_REFUSED");
    assert.match(e.message, /Cannot find container "main"/);

    const unlinked = t.streams.logs(target, { follow: false, previous: false, timestamps: false }, new AbortController().signal);
    const open2 = await t.hub.next("open");
    t.bus.respond(errorReplyTo(open2, 'Cannot reach node "edge-1": not connected', "cloudhub"));
    const e2 = await rejection(unlinked);
    assert.is(e2.status, 503);
    assert.match(e2.message, /not connected/);
    assert.is(t.streams.stats().refused, 2);
  } finally {
    await t.stop();
  }
});

test("logs() fails with 504 when the node does not answer the open", async () => {
  const t = await setup({ openTimeoutMs: 100 });
  try {
    const e = await rejection(t.streams.logs(target, { follow: true, previous: false, timestamps: false }, new AbortController().signal));
    assert.is(e.status, 504);
    assert.is(e.code, "STREAM_TIMEOUT");
    const openId = (t.hub.sent[0].content as { id: string }).id;
    assert.is((await t.hub.next("close")).content.id, openId, "the node is told to drop the stream should it start late");
  } finally {
    await t.stop();
  }
});

test("the node never gets more than the window in flight: credit flows back as the client reads", async () => {
  const t = await setup();
  try {
    const logs = t.streams.logs(target, { follow: true, previous: false, timestamps: false }, new AbortController().signal);
    const { content: { id } } = await t.hub.next("open");
    await t.node("opened", { id, window: 0 });
    for (let i = 0; i < WINDOW / FRAME; i++) await t.node("data", streamData(id, "stdout", new Uint8Array(FRAME).fill(97)));
    const it = (await logs)[Symbol.asyncIterator]();
    await waitUntil(() => t.streams.stats().maxBufferedBytes === WINDOW, 2000, "the whole window buffered");
    assert.not.ok(t.hub.ops().includes("credit"), "no credit before the client read anything");
    await it.next();
    await it.next();
    await it.next();
    const credit = await t.hub.next("credit");
    assert.is(credit.content.bytes, WINDOW / 4, "a quarter of the window once a quarter was read");
    await it.return!(undefined);
    const close = await t.hub.next("close");
    assert.is(close.content.id, id, "a reader that stops closes the stream on the node");
  } finally {
    await t.stop();
  }
});

test("a node that sends past its credit or an oversized frame ends the stream with a protocol error", async () => {
  const t = await setup();
  try {
    const logs = t.streams.logs(target, { follow: true, previous: false, timestamps: false }, new AbortController().signal);
    const { content: { id } } = await t.hub.next("open");
    await t.node("opened", { id, window: 0 });
    await t.node("data", streamData(id, "stdout", new Uint8Array(FRAME + 1)));
    const e = await rejection(logs);
    assert.is(e.code, "STREAM_PROTOCOL");
    assert.is((await t.hub.next("close")).content.id, id);
    assert.is(t.streams.stats().badFrames, 1);
  } finally {
    await t.stop();
  }
});

test("maxStreamsPerNode refuses with 429, and a closed stream frees its slot", async () => {
  const t = await setup({ maxStreamsPerNode: 1 });
  try {
    const ac = new AbortController();
    const first = t.streams.logs(target, { follow: true, previous: false, timestamps: false }, ac.signal);
    const { content: { id } } = await t.hub.next("open");
    await t.node("opened", { id, window: 0 });
    await t.node("data", streamData(id, "stdout", bytes("x")));
    await first;
    const e = await rejection(t.streams.logs(target, { follow: false, previous: false, timestamps: false }, new AbortController().signal));
    assert.is(e.status, 429);
    const other = t.streams.logs({ ...target, nodeName: "edge-2" }, { follow: false, previous: false, timestamps: false }, new AbortController().signal);
    const open2 = await t.hub.next("open");
    assert.is(open2.route.resource, "node/edge-2/default/pod/web", "the limit is per node");
    ac.abort();
    assert.is((await t.hub.next("close")).content.id, id, "the client going away closes the stream on the node");
    const again = t.streams.logs(target, { follow: false, previous: false, timestamps: false }, new AbortController().signal);
    const open3 = await t.hub.next("open");
    await t.node("opened", { id: open3.content.id, window: 0 });
    await t.node("exit", { id: open3.content.id });
    assert.is(await collect(await again), "");
    await t.node("opened", { id: open2.content.id, window: 0 }, "edge-2");
    await t.node("exit", { id: open2.content.id }, "edge-2");
    await collect(await other);
  } finally {
    await t.stop();
  }
});

test("a frame from another node cannot touch a stream, and gets a close back", async () => {
  const t = await setup();
  try {
    const logs = t.streams.logs(target, { follow: false, previous: false, timestamps: false }, new AbortController().signal);
    const { content: { id } } = await t.hub.next("open");
    await t.node("opened", { id, window: 0 }, "edge-evil");
    const close = await t.hub.next("close");
    assert.is(close.route.resource, "node/edge-evil/default/pod/web");
    await t.node("opened", { id, window: 0 });
    await t.node("data", streamData(id, "stdout", bytes("real\n")));
    await t.node("exit", { id, error: "fake" }, "edge-evil");
    await t.node("exit", { id });
    assert.is(await collect(await logs), "real\n");
  } finally {
    await t.stop();
  }
});

test("a link going down ends its node's streams; reset ends the streams the node no longer holds", async () => {
  const t = await setup();
  try {
    const a = t.streams.logs(target, { follow: true, previous: false, timestamps: false }, new AbortController().signal);
    const idA = (await t.hub.next("open")).content.id;
    await t.node("opened", { id: idA, window: 0 });
    await t.node("data", streamData(idA, "stdout", bytes("a")));
    const itA = (await a)[Symbol.asyncIterator]();
    await itA.next();
    await t.bus.send("podstreams", newMessage({ source: "cloudhub", group: "hub", operation: "disconnected", resource: "node/edge-1", content: null }));
    const e = await rejection(itA.next());
    assert.is(e.code, "STREAM_LINK_LOST");

    const b = t.streams.logs(target, { follow: true, previous: false, timestamps: false }, new AbortController().signal);
    const idB = (await t.hub.next("open")).content.id;
    const c = t.streams.logs(target, { follow: true, previous: false, timestamps: false }, new AbortController().signal);
    const idC = (await t.hub.next("open")).content.id;
    for (const id of [idB, idC]) {
      await t.node("opened", { id, window: 0 });
      await t.node("data", streamData(id, "stdout", bytes("x")));
    }
    const [itB, itC] = [(await b)[Symbol.asyncIterator](), (await c)[Symbol.asyncIterator]()];
    await itB.next();
    await itC.next();
    await t.bus.send("podstreams", streamMessage("cloudhub", "node/edge-1/podstreams", "reset", { live: [idC] }));
    assert.is((await rejection(itB.next())).code, "STREAM_LINK_LOST");
    assert.is(t.streams.stats().active, 1, "the stream the node still holds goes on");
    await t.node("exit", { id: idC });
    assert.is((await itC.next()).done, true);
  } finally {
    await t.stop();
  }
});

test("exec() sends stdin within the node's credit, passes resizes and returns the exit code", async () => {
  const t = await setup();
  try {
    const stdin = pushable<Uint8Array>();
    const resize = pushable<TerminalSize>();
    const out: string[] = [];
    const session: ExecSession = {
      stdin, resize, signal: new AbortController().signal,
      stdout: async (c) => void out.push(`1:${Buffer.from(c)}`),
      stderr: async (c) => void out.push(`2:${Buffer.from(c)}`),
    };
    const running = t.streams.exec(target, { command: ["sh"], stdin: true, stdout: true, stderr: true, tty: true }, session);
    const open = await t.hub.next("open");
    assert.equal(open.content.exec, { command: ["sh"], stdin: true, stdout: true, stderr: true, tty: true });
    const id = open.content.id;
    await t.node("opened", { id, window: 300 });
    resize.push({ width: 80, height: 24 });
    assert.equal((await t.hub.next("resize")).content, { id, width: 80, height: 24 });
    stdin.push(new Uint8Array(700).fill(98));
    const sent: number[] = [];
    for (;;) {
      const d = await t.hub.next("data").catch(() => undefined);
      if (!d) break;
      sent.push(streamBytes(d.content).byteLength);
      if (sent.reduce((a, b) => a + b, 0) >= 300) break;
    }
    assert.equal(sent, [FRAME, 300 - FRAME], "frames of at most maxFrameBytes, no more than the node's window");
    await new Promise((r) => setTimeout(r, 30)); // a window: nothing more may be sent without credit
    assert.is(t.hub.ops().filter((o) => o === "data").length, 2, "blocked at zero credit");
    await t.node("credit", { id, bytes: 400 });
    assert.is(streamBytes((await t.hub.next("data")).content).byteLength, FRAME);
    assert.is(streamBytes((await t.hub.next("data")).content).byteLength, 400 - FRAME);
    stdin.end();
    assert.equal((await t.hub.next("close")).content, { id, channel: "stdin" }, "end of stdin is a half-close");
    await t.node("data", streamData(id, "stdout", bytes("out")));
    await t.node("data", streamData(id, "stderr", bytes("err")));
    await t.node("exit", { id, exitCode: 3 });
    assert.equal(await running, { exitCode: 3 });
    assert.equal(out, ["1:out", "2:err"]);
  } finally {
    await t.stop();
  }
});

test("a stream with no frames for idleTimeoutMs ends on both sides", async () => {
  const t = await setup({ idleTimeoutMs: 80 });
  // The module's sweep timer does not hold the process open; this test has nothing else pending.
  const hold = setInterval(() => {}, 1000);
  try {
    const logs = t.streams.logs(target, { follow: true, previous: false, timestamps: false }, new AbortController().signal);
    const { content: { id } } = await t.hub.next("open");
    await t.node("opened", { id, window: 0 });
    const e = await rejection(logs);
    assert.is(e.code, "STREAM_IDLE");
    assert.is((await t.hub.next("close")).content.id, id);
  } finally {
    clearInterval(hold);
    await t.stop();
  }
});

/** A minimal async iterable fed by the test. */
function pushable<T>(): AsyncIterable<T> & { push(v: T): void; end(): void } {
  const items: T[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  return {
    push(v) {
      items.push(v);
      wake?.();
    },
    end() {
      ended = true;
      wake?.();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (items.length) yield items.shift()!;
        else if (ended) return;
        else await new Promise<void>((r) => (wake = r));
      }
    },
  };
}

test.run();
