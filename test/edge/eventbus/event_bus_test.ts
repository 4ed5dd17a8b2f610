import { test } from "uvu";
import * as assert from "uvu/assert";
import { createServer } from "node:net";
import mqtt from "mqtt";
import type { Module, ModuleContext } from "../../../lib/core/index.ts";
import { Bus } from "../../../lib/core/index.ts";
import { EventBus } from "../../../lib/edge/eventbus/index.ts";
import { silentLogger } from "../../../lib/log/index.ts";
import { newMessage } from "../../../lib/model/index.ts";
import { startMosquitto } from "../../support/mosquitto.ts";
import { waitUntil } from "../../support/process.ts";
import { publish, subscribe } from "./_mqtt_cli.ts";
import { Recorder } from "./_recorder.ts";

async function edge(options: ConstructorParameters<typeof EventBus>[0]) {
  const bus = new Bus({ log: silentLogger });
  const eventBus = new EventBus({ log: silentLogger, reconnectMs: 200, ...options });
  const twin = new Recorder("devicetwin");
  const hub = new Recorder("edgehub");
  bus.register(twin);
  bus.register(eventBus);
  bus.register(hub);
  await bus.start();
  const publishReq = (topic: string, content: unknown) =>
    bus.send("eventbus", newMessage({ source: "twin", group: "bus", operation: "publish", resource: topic, content }));
  return { bus, eventBus, twin, hub, publishReq };
}

test("EventBus() internal mode hands device twin topics to devicetwin and others to the cloud", async () => {
  const e = await edge({ mode: "internal", internal: { host: "127.0.0.1", port: 0 } });
  try {
    const port = e.eventBus.internalPort!;
    await publish(port, "$hw/events/device/dht11/twin/update", '{"event_id":"","timestamp":0,"twin":{}}');
    const m = await e.twin.waitFor((x) => x.route.resource === "$hw/events/device/dht11/twin/update");
    assert.equal(m.route, { source: "eventbus", group: "twin", operation: "publish", resource: "$hw/events/device/dht11/twin/update" });
    assert.is(m.content, '{"event_id":"","timestamp":0,"twin":{}}');

    await publish(port, "$hw/events/device/default/dht11/twin/get", "{}");
    await e.twin.waitFor((x) => x.route.resource === "$hw/events/device/default/dht11/twin/get", 10_000, "namespaced topic");
    await publish(port, "$hw/events/node/edge-1/membership/get", "{}");
    await e.twin.waitFor((x) => x.route.resource === "$hw/events/node/edge-1/membership/get", 10_000, "membership get");

    await publish(port, "$hw/events/upload/temperature", "21");
    const up = await e.hub.waitFor((x) => x.route.resource === "$hw/events/upload/temperature");
    assert.equal(up.route, { source: "eventbus", group: "user", operation: "upload", resource: "$hw/events/upload/temperature" });
    assert.is(up.content, "21");
    await publish(port, "SYS/dis/upload_records", "r");
    await e.hub.waitFor((x) => x.route.resource === "SYS/dis/upload_records");
    // not subscribed: nobody gets it
    await publish(port, "some/other/topic", "x");
    assert.is(e.twin.received.length + e.hub.received.length, 5);
  } finally {
    await e.bus.stop();
  }
});

test("EventBus() internal mode publishes what DeviceTwin and the cloud ask for", async () => {
  const e = await edge({ mode: "internal", internal: { host: "127.0.0.1", port: 0 } });
  try {
    const sub = await subscribe(e.eventBus.internalPort!, ["$hw/events/device/+/twin/update/result", "user/topic"]);
    await e.publishReq("$hw/events/device/dht11/twin/update/result", '{"code":404}');
    // a cloud message of group user, whatever its operation
    await e.bus.send("eventbus", newMessage({ source: "router", group: "user", operation: "update", resource: "user/topic", content: { a: 1 } }));
    const got = await sub.waitFor(2);
    assert.equal(got, [
      { topic: "$hw/events/device/dht11/twin/update/result", payload: '{"code":404}' },
      { topic: "user/topic", payload: '{"a":1}' },
    ]);
    await sub.close();
    assert.is(e.eventBus.stats.published, 2);
  } finally {
    await e.bus.stop();
  }
});

test("EventBus() counts an unknown operation and answers a sync request with an error", async () => {
  const e = await edge({ mode: "internal", internal: { host: "127.0.0.1", port: 0 } });
  try {
    const reply = await e.bus.sendSync("eventbus", newMessage({ source: "t", group: "bus", operation: "frobnicate", resource: "x", content: null }), { timeoutMs: 5000 });
    assert.is(reply.route.operation, "error");
    assert.match(String(reply.content), /frobnicate/);
    assert.is(e.eventBus.stats.dropped, 1);
  } finally {
    await e.bus.stop();
  }
});

test("EventBus() init fails when the internal broker's port is taken", async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
  const port = (blocker.address() as { port: number }).port;
  const bus = new Bus({ log: silentLogger });
  bus.register(new EventBus({ log: silentLogger, internal: { host: "127.0.0.1", port } }));
  try {
    const err = await bus.start().then(() => undefined, (e: Error) => e);
    assert.match(String(err?.message), /Cannot start internal MQTT broker on 127\.0\.0\.1:\d+/);
  } finally {
    blocker.close();
  }
});

test("EventBus() external mode works with mosquitto and subscribes again after it restarts", async () => {
  const mq = await startMosquitto();
  const e = await edge({ mode: "external", external: { url: mq.url } });
  try {
    // the first subscription happens once the client connected
    const probe = async (id: string) => {
      await waitUntil(async () => {
        await publish(mq.port, `$hw/events/device/${id}/twin/get`, "{}");
        return e.twin.received.some((x) => x.route.resource === `$hw/events/device/${id}/twin/get`);
      }, 15_000, `devicetwin to get ${id}`);
    };
    await probe("before");
    const sub = await subscribe(mq.port, ["$hw/events/device/+/twin/get/result"]);
    await e.publishReq("$hw/events/device/before/twin/get/result", "r1");
    assert.equal(await sub.waitFor(1), [{ topic: "$hw/events/device/before/twin/get/result", payload: "r1" }]);
    await sub.close();

    await mq.stop();
    await mq.start();
    await probe("after");
    const sub2 = await subscribe(mq.port, ["$hw/events/device/+/twin/get/result"]);
    await waitUntil(async () => {
      await e.publishReq("$hw/events/device/after/twin/get/result", "r2");
      return sub2.messages().length > 0;
    }, 15_000, "publish after restart");
    assert.is(sub2.messages()[0].payload, "r2");
    await sub2.close();
  } finally {
    await e.bus.stop();
    await mq.close();
  }
});

test("EventBus() both mode listens on both brokers and publishes to both", async () => {
  const mq = await startMosquitto();
  const e = await edge({ mode: "both", internal: { host: "127.0.0.1", port: 0 }, external: { url: mq.url } });
  try {
    const port = e.eventBus.internalPort!;
    await waitUntil(async () => {
      await publish(mq.port, "$hw/events/device/ext/twin/update", "{}");
      return e.twin.received.some((x) => x.route.resource === "$hw/events/device/ext/twin/update");
    }, 15_000, "message from mosquitto");
    await publish(port, "$hw/events/device/int/twin/update", "{}");
    await e.twin.waitFor((x) => x.route.resource === "$hw/events/device/int/twin/update");
    const subExt = await subscribe(mq.port, ["$hw/events/device/+/twin/update/delta"]);
    const subInt = await subscribe(port, ["$hw/events/device/+/twin/update/delta"]);
    await e.publishReq("$hw/events/device/d/twin/update/delta", "delta");
    assert.equal(await subExt.waitFor(1), [{ topic: "$hw/events/device/d/twin/update/delta", payload: "delta" }]);
    assert.equal(await subInt.waitFor(1), [{ topic: "$hw/events/device/d/twin/update/delta", payload: "delta" }]);
    await subExt.close();
    await subInt.close();
  } finally {
    await e.bus.stop();
    await mq.close();
  }
});

/** Answers every device message with a publish, as DeviceTwin does, through a tiny inbox. */
class Echo implements Module {
  readonly name = "devicetwin";
  readonly group = "twin";
  async start(ctx: ModuleContext): Promise<void> {
    for await (const m of ctx.inbox) {
      await ctx.bus.send("eventbus", newMessage({ source: "twin", group: "bus", operation: "publish", resource: `${m.route.resource}/result`, content: m.content }));
    }
  }
}

async function floodThroughFullBus(mode: "internal" | "external"): Promise<void> {
  const mq = mode === "external" ? await startMosquitto() : undefined;
  const bus = new Bus({ log: silentLogger, queueLimit: 2 });
  const eb = new EventBus({ log: silentLogger, mode, internal: { host: "127.0.0.1", port: 0 }, external: { url: mq?.url ?? "" }, maxInFlight: 1 });
  bus.register(new Echo());
  bus.register(eb);
  await bus.start();
  const client = await mqtt.connectAsync({ host: "127.0.0.1", port: mq?.port ?? eb.internalPort!, protocol: "mqtt" });
  try {
    let answers = 0;
    client.on("message", () => answers++);
    await client.subscribeAsync("$hw/events/device/+/twin/update/result", { qos: 1 });
    await waitUntil(async () => {
      await client.publishAsync("$hw/events/device/probe/twin/update", "{}", { qos: 1 });
      return answers > 0;
    }, 15_000, "EventBus to subscribe");
    const before = answers;
    const N = 500;
    await Promise.all(Array.from({ length: N }, (_, i) => client.publishAsync(`$hw/events/device/d${i % 10}/twin/update`, String(i), { qos: 1 })));
    await waitUntil(() => answers - before >= N, 20_000, `${N} answers (got ${answers - before})`);
  } finally {
    await client.endAsync();
    await bus.stop();
    await mq?.close();
  }
}

test("EventBus() internal mode keeps answering while its bus is full", () => floodThroughFullBus("internal"));

test("EventBus() external mode keeps answering while its bus is full (no deadlock on the broker link)", () => floodThroughFullBus("external"));

test.run();
