/**
 * PodStreamsEdge on a real Bus, with a stand-in for EdgeHub that records what the module sends, and an in-memory
 * engine (the real one, Edged on dockerd, runs in test/integration/podstreams_kubectl_test.ts).
 */
import { PassThrough, Writable } from "node:stream";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Bus, type Module, type ModuleContext } from "../../../lib/core/index.ts";
import type { ExecSession } from "../../../lib/edge/edged/runtime/index.ts";
import { type PodEngine, PodStreamsEdge } from "../../../lib/edge/podstreams/index.ts";
import { silentLogger } from "../../../lib/log/index.ts";
import { type Message, newMessage, streamBytes, streamData, streamMessage, type StreamContent, type StreamOpName } from "../../../lib/model/index.ts";
import { waitUntil } from "../../support/process.ts";

const FRAME = 100;

/** Stands in for EdgeHub: records frames for the cloud. */
class HubStandIn implements Module {
  readonly name = "edgehub";
  readonly group = "hub";
  readonly sent: Message[] = [];
  #seen = 0;
  async start(ctx: ModuleContext): Promise<void> {
    for await (const msg of ctx.inbox) this.sent.push(msg);
  }
  async next<O extends StreamOpName>(op: O, timeoutMs = 2000): Promise<Message<StreamContent<O>>> {
    const at = await waitUntil(() => this.sent.findIndex((m, idx) => idx >= this.#seen && m.route.operation === op) + 1, timeoutMs, `a "${op}" frame`, {
      intervalMs: 2,
      progress: () => `sent: ${this.sent.map((m) => m.route.operation).join(",")}`,
    });
    this.#seen = at;
    return this.sent[at - 1] as Message<StreamContent<O>>;
  }
}

type ExecCall = { session: ExecSession; stdinText: string; stdinEnded: boolean; resized: string[]; finish(code: number): void };

/** An engine in memory: logs from a list, exec sessions the test drives. */
class FakeEngine implements PodEngine {
  logLines: string[] = [];
  logAborted = false;
  /** A process that never reads its stdin: writes never complete. */
  stalledStdin = false;
  readonly execs: ExecCall[] = [];
  podLogs(ns: string, pod: string, container: string, options: { follow?: boolean; signal?: AbortSignal }): AsyncIterable<Uint8Array> {
    const self = this;
    return (async function* () {
      if (container === "missing") throw Object.assign(new Error(`Cannot find container "missing" in pod "${ns}/${pod}"`), { code: "EDGED_NOT_FOUND" });
      for (const l of self.logLines) yield new TextEncoder().encode(l);
      if (!options.follow) return;
      await new Promise<void>((resolve) => options.signal!.addEventListener("abort", () => resolve(), { once: true }));
      self.logAborted = true;
    })();
  }
  async podExec(_ns: string, _pod: string, container: string, options: { stdin?: boolean }): Promise<ExecSession> {
    if (container === "stopped") throw Object.assign(new Error("container is not running"), { code: "RUNTIME_CONFLICT" });
    const stdout = new PassThrough(), stderr = new PassThrough(), stdin = new PassThrough();
    let finish!: (code: number) => void;
    const exit = new Promise<number>((r) => (finish = r));
    const call: ExecCall = {
      stdinText: "", stdinEnded: false, resized: [],
      session: { stdout, stderr, stdin: !options.stdin ? null : this.stalledStdin ? new Writable({ write() {} }) : stdin, resize: async (w, h) => void call.resized.push(`${w}x${h}`), exit, close: () => { stdout.end(); stderr.end(); } },
      finish: (code) => {
        stdout.end();
        stderr.end();
        finish(code);
      },
    };
    stdin.on("data", (c: Buffer) => (call.stdinText += c.toString()));
    stdin.on("end", () => (call.stdinEnded = true));
    this.execs.push(call);
    return call.session;
  }
}

type Setup = { bus: Bus; hub: HubStandIn; engine: FakeEngine; streams: PodStreamsEdge; cloud(op: StreamOpName, content: unknown): Promise<void>; stop(): Promise<void> };

async function setup(options: Partial<ConstructorParameters<typeof PodStreamsEdge>[0]> = {}): Promise<Setup> {
  const bus = new Bus({ log: silentLogger });
  const hub = new HubStandIn();
  const engine = new FakeEngine();
  const streams = new PodStreamsEdge({ engine, windowBytes: 400, log: silentLogger, ...options });
  bus.register(streams);
  bus.register(hub);
  await bus.start();
  return {
    bus, hub, engine, streams,
    cloud: (op, content) => bus.send("podstreams", streamMessage("edgehub", "default/pod/web", op, content as never)),
    stop: () => bus.stop(),
  };
}

const logsOpen = (id: string, extra: Record<string, unknown> = {}) => ({
  id, kind: "logs", container: "main", uid: "u", window: 1000, maxFrameBytes: FRAME, logs: { follow: false, previous: false, timestamps: false }, ...extra,
});
const execOpen = (id: string, container = "main") => ({
  id, kind: "exec", container, uid: "u", window: 1000, maxFrameBytes: FRAME, exec: { command: ["sh"], stdin: true, stdout: true, stderr: true, tty: false },
});

test("a log stream sends opened, the output within the cloud's credit, then exit", async () => {
  const t = await setup();
  try {
    t.engine.logLines = ["x".repeat(250), "tail\n"];
    await t.cloud("open", logsOpen("s1", { window: 120 }));
    assert.equal((await t.hub.next("opened")).content, { id: "s1", window: 0 });
    const first = await t.hub.next("data");
    assert.is(first.route.resource, "default/pod/web");
    assert.is(first.content.channel, "stdout");
    assert.is(streamBytes(first.content).byteLength, FRAME);
    assert.is(streamBytes((await t.hub.next("data")).content).byteLength, 20, "only what is left of the window");
    await new Promise((r) => setTimeout(r, 30)); // a window: nothing more may be sent without credit
    assert.is(t.hub.sent.filter((m) => m.route.operation === "data").length, 2, "blocked at zero credit");
    await t.cloud("credit", { id: "s1", bytes: 1000 });
    let rest = "";
    await waitUntil(() => t.hub.sent.some((x, i) => i >= 3 && x.route.operation === "exit"), 2000, "the exit frame", { intervalMs: 2 });
    for (const m of t.hub.sent.slice(3)) if (m.route.operation === "data") rest += streamBytes(m.content as never).toString();
    assert.is(rest, "x".repeat(130) + "tail\n");
    assert.equal(t.hub.sent.at(-1)!.content, { id: "s1" });
    await waitUntil(() => t.streams.stats().active === 0, 2000, "slot freed");
  } finally {
    await t.stop();
  }
});

test("limitBytes ends a log early, and a missing container ends it with 404", async () => {
  const t = await setup();
  try {
    t.engine.logLines = ["0123456789"];
    await t.cloud("open", logsOpen("s1", { logs: { follow: false, limitBytes: 4 } }));
    const d = await t.hub.next("data");
    assert.is(streamBytes(d.content).toString(), "0123");
    await t.hub.next("exit");
    await t.cloud("open", logsOpen("s2", { container: "missing" }));
    const exit = await t.hub.next("exit");
    assert.is(exit.content.status, 404);
    assert.match(exit.content.error!, /Cannot read logs of container "missing" of pod "default\/web"/);
  } finally {
    await t.stop();
  }
});

test("maxStreams refuses with 429 and a closed stream frees its slot", async () => {
  const t = await setup({ maxStreams: 1 });
  try {
    await t.cloud("open", logsOpen("s1", { logs: { follow: true } }));
    await t.hub.next("opened");
    await t.cloud("open", logsOpen("s2"));
    const refused = await t.hub.next("exit");
    assert.is(refused.content.id, "s2");
    assert.is(refused.content.status, 429);
    await t.cloud("close", { id: "s1", reason: "client left" });
    await waitUntil(() => t.engine.logAborted, 2000, "the engine's log request aborted");
    assert.is(t.streams.stats().active, 0);
    await t.cloud("open", logsOpen("s3"));
    assert.is((await t.hub.next("opened")).content.id, "s3");
    assert.is(t.streams.stats().refused, 1);
  } finally {
    await t.stop();
  }
});

test("an exec stream writes stdin with credit back, resizes, half-closes and sends the exit code", async () => {
  const t = await setup();
  try {
    await t.cloud("open", execOpen("e1"));
    assert.equal((await t.hub.next("opened")).content, { id: "e1", window: 400 });
    const call = t.engine.execs[0];
    await t.cloud("resize", { id: "e1", width: 100, height: 30 });
    for (let i = 0; i < 4; i++) await t.cloud("data", streamData("e1", "stdin", new TextEncoder().encode("a".repeat(50))));
    const credit = await t.hub.next("credit");
    assert.is(credit.content.bytes, 100, "a quarter of the window granted back once written");
    await t.cloud("close", { id: "e1", channel: "stdin" });
    await waitUntil(() => call.stdinEnded, 2000, "stdin ended");
    assert.is(call.stdinText, "a".repeat(200));
    assert.equal(call.resized, ["100x30"]);
    call.session.stdout.push("out");
    call.session.stderr.push("err");
    call.finish(7);
    const exit = await t.hub.next("exit");
    assert.equal(exit.content, { id: "e1", exitCode: 7 });
    const data = t.hub.sent.filter((m) => m.route.operation === "data").map((m) => `${(m.content as { channel: string }).channel}:${streamBytes(m.content as never)}`);
    assert.equal(data.sort(), ["stderr:err", "stdout:out"]);
  } finally {
    await t.stop();
  }
});

test("stdin past the granted window stops the stream and tells the cloud", async () => {
  const t = await setup();
  try {
    // The process does not read: nothing is consumed, so nothing is granted back.
    t.engine.stalledStdin = true;
    await t.cloud("open", execOpen("e1"));
    await t.hub.next("opened");
    for (let i = 0; i < 5; i++) await t.cloud("data", streamData("e1", "stdin", new Uint8Array(FRAME)));
    const close = await t.hub.next("close");
    assert.is(close.content.id, "e1");
    assert.ok(t.streams.stats().badFrames >= 1);
  } finally {
    await t.stop();
  }
});

test("an exec in a container that is not running is refused with 400", async () => {
  const t = await setup();
  try {
    await t.cloud("open", execOpen("e1", "stopped"));
    const exit = await t.hub.next("exit");
    assert.is(exit.content.status, 400);
    assert.match(exit.content.error!, /not running/);
  } finally {
    await t.stop();
  }
});

test("losing the link stops every stream; a new link gets a reset with the live ids", async () => {
  const t = await setup();
  try {
    await t.cloud("open", logsOpen("s1", { logs: { follow: true } }));
    await t.hub.next("opened");
    await t.bus.send("podstreams", newMessage({ source: "edgehub", group: "hub", operation: "disconnected", resource: "node", content: null }));
    await waitUntil(() => t.engine.logAborted, 2000, "log aborted");
    assert.is(t.streams.stats().active, 0);
    await t.cloud("open", logsOpen("s2", { logs: { follow: true } }));
    await t.hub.next("opened");
    await t.bus.send("podstreams", newMessage({ source: "edgehub", group: "hub", operation: "connected", resource: "node", content: null }));
    assert.equal((await t.hub.next("reset")).content, { live: ["s2"] });
    await t.cloud("credit", { id: "nope", bytes: 5 });
    assert.equal((await t.hub.next("close")).content, { id: "nope", reason: "no such stream" });
  } finally {
    await t.stop();
  }
});

test.run();
