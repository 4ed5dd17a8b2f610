import { test } from "uvu";
import * as assert from "uvu/assert";
import mqtt, { type MqttClient } from "mqtt";
import { Bus } from "../../../lib/core/index.ts";
import { EventBus } from "../../../lib/edge/eventbus/index.ts";
import { createLogger } from "../../../lib/log/index.ts";
import { newMessage } from "../../../lib/model/index.ts";
import { runToEnd, waitUntil } from "../../support/process.ts";
import { Recorder } from "./_recorder.ts";

const PASSWORD = "correct-horse-battery";

/** An EventBus with its internal broker on a free port; its log lines are kept. */
async function edge(auth?: { username: string; password: string }) {
  const lines: string[] = [];
  const log = createLogger("eventbus", { level: "debug", write: (l) => lines.push(l) });
  const bus = new Bus({ log: createLogger("bus", { level: "error", write: () => {} }) });
  const eventBus = new EventBus({ log, mode: "internal", internal: { host: "127.0.0.1", port: 0, auth } });
  const twin = new Recorder("devicetwin");
  const hub = new Recorder("edgehub");
  for (const m of [twin, eventBus, hub]) bus.register(m);
  await bus.start();
  const edgePublish = (topic: string, content: string) =>
    bus.send("eventbus", newMessage({ source: "twin", group: "bus", operation: "publish", resource: topic, content }));
  return { bus, eventBus, twin, lines, edgePublish, port: () => eventBus.internalPort! };
}

type Connected = { client: MqttClient; closed: Promise<void> };

/** Connects a device with mqtt.js; rejects with the broker's refusal (CONNACK code). */
function connect(port: number, options: { username?: string; password?: string } = {}): Promise<Connected> {
  const client = mqtt.connect({ host: "127.0.0.1", port, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...options });
  const closed = new Promise<void>((r) => client.once("close", () => r()));
  return new Promise((resolve, reject) => {
    client.once("connect", () => resolve({ client, closed }));
    client.once("error", (err) => {
      client.end(true);
      reject(err);
    });
  });
}

/** Collects every message a client receives on `topics`. */
async function listen(c: Connected, topics: string[]): Promise<{ topic: string; payload: string }[]> {
  const got: { topic: string; payload: string }[] = [];
  c.client.on("message", (topic, payload) => got.push({ topic, payload: payload.toString() }));
  await c.client.subscribeAsync(topics, { qos: 1 });
  return got;
}

test("the internal broker refuses edge-only topics from device clients and closes them; device topics still pass", async () => {
  const e = await edge();
  const watcher = await connect(e.port());
  try {
    const seen = await listen(watcher, ["$hw/events/#"]);
    const refused = [
      "$hw/events/device/dht11/twin/cloud_updated",
      "$hw/events/device/default/dht11/twin/cloud_updated",
      "$hw/events/device/dht11/twin/update/result",
      "$hw/events/device/dht11/twin/update/delta",
      "$hw/events/device/dht11/twin/get/result",
      "$hw/events/device/dht11/updated",
      "$hw/events/node/edge-1/membership/updated",
      "$hw/events/node/edge-1/membership/get/result",
    ];
    for (const topic of refused) {
      const device = await connect(e.port());
      device.client.publish(topic, '{"twin":{"temp":{"expected":{"value":"99"}}}}', { qos: 1 });
      await device.closed;
    }
    // a device request after them, from a fresh client: once it arrived, the refused ones would have too
    const device = await connect(e.port());
    await device.client.publishAsync("$hw/events/device/dht11/twin/update", '{"twin":{}}', { qos: 1 });
    await e.twin.waitFor((m) => m.route.resource === "$hw/events/device/dht11/twin/update");
    await waitUntil(() => seen.some((m) => m.topic === "$hw/events/device/dht11/twin/update"), 10_000, "watcher to see the device request");
    assert.equal(seen.map((m) => m.topic), ["$hw/events/device/dht11/twin/update"], "no refused publish reached a subscriber");
    assert.equal(e.twin.received.map((m) => m.route.resource), ["$hw/events/device/dht11/twin/update"], "nor DeviceTwin");
    assert.is(e.lines.filter((l) => l.includes("mqtt publish refused")).length, refused.length);

    // edge_core itself still publishes its answers
    await e.edgePublish("$hw/events/device/dht11/twin/update/delta", '{"delta":{}}');
    await waitUntil(() => seen.some((m) => m.topic === "$hw/events/device/dht11/twin/update/delta"), 10_000, "the edge's own delta");
    device.client.end(true);
  } finally {
    watcher.client.end(true);
    await e.bus.stop();
  }
});

test("with credentials configured the internal broker refuses clients without them or with a wrong password", async () => {
  const e = await edge({ username: "mapper", password: PASSWORD });
  try {
    for (const creds of [{}, { username: "mapper", password: "nope-123" }, { username: "other", password: PASSWORD }, { username: "mapper" }]) {
      const err = await connect(e.port(), creds).then(
        (c) => (c.client.end(true), undefined),
        (err: Error & { code?: number }) => err,
      );
      assert.ok(err, `connected with ${JSON.stringify(creds)}`);
      assert.is(err!.code, 4, `CONNACK "bad user name or password" for ${JSON.stringify(creds)}: ${err!.message}`);
    }
    const ok = await connect(e.port(), { username: "mapper", password: PASSWORD });
    await ok.client.publishAsync("$hw/events/device/dht11/twin/get", "{}", { qos: 1 });
    await e.twin.waitFor((m) => m.route.resource === "$hw/events/device/dht11/twin/get");
    ok.client.end(true);
    assert.is(e.lines.filter((l) => l.includes("mqtt client refused")).length, 4);
    assert.not.ok(e.lines.some((l) => l.includes(PASSWORD) || l.includes("nope-123")), "no password in the log");
  } finally {
    await e.bus.stop();
  }
});

test("mosquitto_pub, a real mapper-side client, is refused without the password and delivered with it", async () => {
  const e = await edge({ username: "mapper", password: PASSWORD });
  try {
    const pub = (...creds: string[]) =>
      runToEnd("mosquitto_pub", ["-h", "127.0.0.1", "-p", String(e.port()), "-q", "1", "-t", "$hw/events/device/d9/state/update", "-m", '{"state":"online"}', ...creds], { timeoutMs: 10_000 });
    const anonymous = await pub();
    assert.is.not(anonymous.code, 0);
    assert.match(anonymous.stderr, /not authori[sz]ed|bad user name or password/i);
    const wrong = await pub("-u", "mapper", "-P", "nope-456");
    assert.is.not(wrong.code, 0);
    const right = await pub("-u", "mapper", "-P", PASSWORD);
    assert.is(right.code, 0, right.stderr);
    await e.twin.waitFor((m) => m.route.resource === "$hw/events/device/d9/state/update");
    assert.is(e.twin.received.length, 1);
  } finally {
    await e.bus.stop();
  }
});

test("EventBus drops edge-only topics that arrive from a broker, whoever published them", async () => {
  // the internal broker refuses these from clients; an external broker is configured by its owner, so EventBus
  // itself must not take a cloud_updated from MQTT as the cloud's word. Reached here through the in-process path.
  const e = await edge();
  try {
    await e.bus.send("eventbus", newMessage({ source: "edgehub", group: "user", operation: "subscribe", resource: "$hw/events/device/+/twin/cloud_updated", content: "" }));
    await waitUntil(() => e.lines.some((l) => l.includes("subscribed for the cloud")), 10_000, "subscription");
    await e.edgePublish("$hw/events/device/dht11/twin/cloud_updated", "{}");
    await waitUntil(() => e.eventBus.stats.dropped > 0, 10_000, "the message to be dropped");
    assert.is(e.twin.received.length, 0);
    assert.ok(e.lines.some((l) => l.includes("MQTT message dropped: topic is published only by edge_core")));
  } finally {
    await e.bus.stop();
  }
});

test.run();
