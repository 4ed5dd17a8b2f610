import { test } from "uvu";
import * as assert from "uvu/assert";
import { Bus, BusError, type Module, type ModuleContext } from "../../lib/core/index.ts";
import { silentLogger } from "../../lib/log/index.ts";
import { newMessage, replyTo, type Message } from "../../lib/model/index.ts";
import { waitUntil } from "../support/process.ts";

const msg = (content: unknown, operation = "insert"): Message =>
  newMessage({ source: "test", group: "g", operation, resource: "default/pod/x", content });

/** A module that records what it receives and runs `onMessage` for each. */
function recorder(name: string, group: string, onMessage: (m: Message, ctx: ModuleContext) => unknown = () => {}) {
  const seen: Message[] = [];
  const mod: Module & { seen: Message[] } = {
    name, group, seen,
    async start(ctx) {
      for await (const m of ctx.inbox) {
        seen.push(m);
        await onMessage(m, ctx);
      }
    },
  };
  return mod;
}

test("send() delivers to one module and sendToGroup() to every module of the group", async () => {
  const bus = new Bus({ log: silentLogger });
  const a = recorder("a", "meta"), b = recorder("b", "meta"), c = recorder("c", "other");
  [a, b, c].forEach((m) => bus.register(m));
  await bus.start();
  await bus.send("a", msg(1));
  await bus.sendToGroup("meta", msg(2));
  await waitUntil(() => a.seen.length === 2 && b.seen.length === 1, 3000, "a to see 2 messages and b 1");
  assert.equal(a.seen.map((m) => m.content), [1, 2]);
  assert.equal(b.seen.map((m) => m.content), [2]);
  assert.is(c.seen.length, 0);
  await bus.stop();
});

test("send() to an unknown module fails with BUS_NO_MODULE", async () => {
  const bus = new Bus({ log: silentLogger });
  await bus.start();
  await bus.send("nope", msg(1)).then(() => assert.unreachable(), (e) => assert.is((e as BusError).code, "BUS_NO_MODULE"));
  await bus.sendToGroup("nogroup", msg(1)).then(() => assert.unreachable(), (e) => assert.match((e as Error).message, /group "nogroup"/));
  await bus.stop();
});

test("sendSync() resolves with the reply whose parent_msg_id is the request's id", async () => {
  const bus = new Bus({ log: silentLogger });
  bus.register(recorder("echo", "g", (m, ctx) => ctx.bus.respond(replyTo(m, { echoed: m.content }))));
  await bus.start();
  const req = msg(42, "query");
  const reply = await bus.sendSync("echo", req, { timeoutMs: 1000 });
  assert.is(reply.header.parent_msg_id, req.header.msg_id);
  assert.equal(reply.content, { echoed: 42 });
  assert.ok(req.header.sync);
  await bus.stop();
});

test("sendSync() fails with BUS_TIMEOUT when nobody answers", async () => {
  const bus = new Bus({ log: silentLogger });
  bus.register(recorder("mute", "g"));
  await bus.start();
  const started = Date.now();
  await bus.sendSync("mute", msg(1), { timeoutMs: 50 }).then(() => assert.unreachable(), (e) => assert.is((e as BusError).code, "BUS_TIMEOUT"));
  assert.ok(Date.now() - started >= 45);
  assert.is(bus.stats.syncTimeouts, 1);
  assert.not.ok(bus.respond(replyTo(msg(1), "late")), "a late reply finds no waiter");
  await bus.stop();
});

test("send() waits while the inbox is full and resumes when the module reads", async () => {
  const bus = new Bus({ log: silentLogger, queueLimit: 2 });
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const slow = recorder("slow", "g", () => gate);
  bus.register(slow);
  await bus.start();
  await bus.send("slow", msg(1)); // taken by the module, which blocks on the gate
  await waitUntil(() => slow.seen.length === 1, 3000, "slow to see 1 message");
  await bus.send("slow", msg(2));
  await bus.send("slow", msg(3));
  assert.not.ok(bus.trySend("slow", msg(99)), "trySend reports a full inbox");
  let fourthSent = false;
  const fourth = bus.send("slow", msg(4)).then(() => (fourthSent = true));
  await new Promise((r) => setTimeout(r, 30)); // a window: the send must stay held back
  assert.not.ok(fourthSent, "the sender is held back while the inbox is full");
  release();
  await fourth;
  await waitUntil(() => slow.seen.length === 4, 3000, "slow to see 4 messages");
  assert.equal(slow.seen.map((m) => m.content), [1, 2, 3, 4]);
  await bus.stop();
});

test("a module that throws is restarted with backoff and keeps its inbox", async () => {
  const lines: string[] = [];
  const { createLogger } = await import("../../lib/log/index.ts");
  const bus = new Bus({ log: createLogger("t", { write: (l) => lines.push(l) }), restartMinMs: 10 });
  let failures = 0;
  const flaky = recorder("flaky", "g", () => {
    if (failures < 2) {
      failures++;
      throw new Error("boom");
    }
  });
  bus.register(flaky);
  await bus.start();
  for (let i = 1; i <= 4; i++) await bus.send("flaky", msg(i));
  await waitUntil(() => flaky.seen.length === 4, 3000, "flaky to see 4 messages");
  assert.equal(flaky.seen.map((m) => m.content), [1, 2, 3, 4]);
  assert.is(bus.stats.restarts.flaky, 2);
  assert.ok(lines.some((l) => l.includes("ERROR") && l.includes("[t.flaky] module failed, restarting") && l.includes("error=boom")));
  await bus.stop();
});

test("stop() stops modules in reverse order and start() fails cleanly when an init fails", async () => {
  const order: string[] = [];
  const mk = (name: string, failInit = false): Module => ({
    name, group: "g",
    async init() {
      if (failInit) throw new Error("port in use");
      order.push(`init ${name}`);
    },
    async start(ctx) {
      for await (const _ of ctx.inbox) void _;
    },
    async stop() {
      order.push(`stop ${name}`);
    },
  });
  const bus = new Bus({ log: silentLogger });
  ["a", "b", "c"].forEach((n) => bus.register(mk(n)));
  await bus.start();
  await bus.stop();
  assert.equal(order, ["init a", "init b", "init c", "stop c", "stop b", "stop a"]);

  order.length = 0;
  const bad = new Bus({ log: silentLogger });
  bad.register(mk("a"));
  bad.register(mk("b", true));
  await bad.start().then(() => assert.unreachable(), (e) => assert.match((e as Error).message, /Cannot start module "b": port in use/));
  assert.equal(order, ["init a", "stop a"]);
});

test.run();
