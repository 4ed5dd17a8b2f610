import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bus } from "../../lib/core/index.ts";
import { DeviceTwin } from "../../lib/edge/devicetwin/index.ts";
import { EventBus, type EventBusOptions } from "../../lib/edge/eventbus/index.ts";
import { silentLogger } from "../../lib/log/index.ts";
import { newMessage } from "../../lib/model/index.ts";
import { openStore, type Store } from "../../lib/store/index.ts";
import { startMosquitto } from "../support/mosquitto.ts";
import { startBackground, tsArgs, waitUntil } from "../support/process.ts";
import { publish, type Received, subscribe } from "../edge/eventbus/_mqtt_cli.ts";
import { Recorder } from "../edge/eventbus/_recorder.ts";

/** An edge with DeviceTwin and EventBus on a durable store; the cloud side is a recorder plus injected messages. */
async function startEdge(dir: string, eventBus: EventBusOptions) {
  const store: Store = await openStore(join(dir, "edge.db"), { log: silentLogger });
  const bus = new Bus({ log: silentLogger });
  const eb = new EventBus({ log: silentLogger, reconnectMs: 200, ...eventBus });
  const hub = new Recorder("edgehub");
  bus.register(new DeviceTwin({ store, nodeName: "edge-1", log: silentLogger }));
  bus.register(eb);
  bus.register(hub);
  await bus.start();
  await bus.send("devicetwin", newMessage({ source: "edgehub", group: "hub", operation: "connected", resource: "node", content: null }));
  const fromCloud = (resource: string, content: unknown) =>
    bus.send("devicetwin", newMessage({ source: "devicecontroller", group: "twin", operation: "update", resource, content }));
  return { bus, eb, hub, store, fromCloud, async stop() { await bus.stop(); await store.close(); } };
}

const COUNTER = {
  event_id: "", timestamp: 0, removed_devices: [],
  added_devices: [{ id: "counter", name: "counter", description: "counter",
    twin: { status: { expected: { value: "OFF", metadata: { timestamp: 1 } }, optional: false, metadata: { type: "string" }, expected_version: { cloud: 10, edge: 0 } } } }],
};

function one(sub: { messages(): Received[] }, topic: string, after = 0) {
  return waitUntil(() => sub.messages().slice(after).find((m) => m.topic === topic), 10_000, `a message on ${topic}`).then((m) => JSON.parse(m!.payload));
}

async function scenario(name: string, eventBus: (port?: number) => EventBusOptions, brokerPort: (eb: EventBus) => number, external?: { url: string }) {
  const dir = mkdtempSync(join(tmpdir(), `devices-${name}-`));
  const edge = await startEdge(dir, eventBus());
  const port = brokerPort(edge.eb);
  const dev = await subscribe(port, ["$hw/events/device/counter/twin/update/+", "$hw/events/device/+/twin/get/result", "$hw/events/node/edge-1/membership/+"]);
  try {
    if (external) {
      // the external link subscribes once connected; probe until a request is answered
      await waitUntil(async () => {
        await publish(port, "$hw/events/device/probe/twin/get", "{}");
        return dev.messages().some((m) => m.topic === "$hw/events/device/probe/twin/get/result");
      }, 15_000, "EventBus to subscribe on mosquitto");
    }
    await edge.fromCloud("membership", COUNTER);
    const ann = await one(dev, "$hw/events/node/edge-1/membership/updated");
    assert.equal(ann.added_devices, [{ id: "counter", name: "counter", description: "counter", twin: { status: { expected: { value: "OFF", metadata: { timestamp: 1 } }, optional: false, metadata: { type: "string" } } } }]);

    // a device reports through a real mosquitto_pub: the exact KubeEdge result
    let from = dev.messages().length;
    const t0 = Date.now();
    await publish(port, "$hw/events/device/counter/twin/update", '{"event_id":"","timestamp":0,"twin":{"status":{"actual":{"value":"OFF"},"metadata":{"type":"Updated"}}}}');
    const result = await one(dev, "$hw/events/device/counter/twin/update/result", from);
    const ts = result.timestamp;
    assert.ok(ts >= t0 && ts <= Date.now());
    assert.is(JSON.stringify(result), `{"event_id":"","timestamp":${ts},"twin":{"status":{"actual":{"value":"OFF","metadata":{"timestamp":${ts}}},"optional":false,"metadata":{"type":"string"}}}}`);
    const synced = await edge.hub.waitFor((m) => m.route.resource === "device/counter/twin/edge_updated");
    assert.equal((synced.content as any).twin.status.actual_version, { cloud: 0, edge: 1 });

    // the cloud wants ON: the device gets the delta
    from = dev.messages().length;
    await edge.fromCloud("device/counter/twin/cloud_updated", { event_id: "c", timestamp: 2, twin: { status: { expected: { value: "ON" }, optional: false, metadata: { type: "string" }, expected_version: { cloud: 11, edge: 0 } } } });
    const delta = await one(dev, "$hw/events/device/counter/twin/update/delta", from);
    assert.equal(Object.keys(delta), ["event_id", "timestamp", "twin", "delta"]);
    assert.equal(delta.delta, { status: "ON" });
    assert.is(delta.twin.status.expected.value, "ON");
    assert.is(delta.twin.status.actual.value, "OFF");

    // bad payloads are answered, nothing crashes
    for (const [id, payload, code] of [["counter", '{"event_id":"n"}', 400], ["counter", "{{{", 400], ["ghost", '{"twin":{"a":{"actual":{"value":"1"}}}}', 404]] as const) {
      const at = dev.messages().length;
      const sub = id === "ghost" ? await subscribe(port, ["$hw/events/device/ghost/twin/update/result"]) : undefined;
      await publish(port, `$hw/events/device/${id}/twin/update`, payload);
      const r = sub ? JSON.parse((await sub.waitFor(1))[0].payload) : await one(dev, "$hw/events/device/counter/twin/update/result", at);
      await sub?.close();
      assert.is(r.code, code, payload);
    }

    // the sample mapper follows the expected status and counts; its reports reach the cloud side
    const [cmd, args] = tsArgs("conf/samples/mapper.ts", "--broker", `tcp://127.0.0.1:${port}`, "--device", "counter", "--interval", "100");
    const mapper = startBackground(cmd, args);
    await mapper.waitFor(/mapper: status=ON/, 20_000);
    await mapper.waitFor(/mapper: count=3/, 10_000);
    await edge.hub.waitFor((m) => m.route.resource === "device/counter/twin/edge_updated" && Number((m.content as any).twin.count?.actual?.value) >= 3, 10_000, "count reported");
    await edge.hub.waitFor((m) => m.route.resource === "device/counter/state" && (m.content as any).device.state === "online");
    await mapper.kill("SIGTERM");
    await edge.hub.waitFor((m) => m.route.resource === "device/counter/state" && (m.content as any).device.state === "offline", 10_000, "offline state");
    const row = edge.store.get<any>("SELECT actual FROM device_twin WHERE deviceid = 'counter' AND name = 'status'");
    assert.is(row.actual, "ON");
  } finally {
    await dev.close();
    await edge.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

test("devices over the internal broker: membership, twin update result, delta, errors, a real mapper", async () => {
  await scenario("internal", () => ({ mode: "internal", internal: { host: "127.0.0.1", port: 0 } }), (eb) => eb.internalPort!);
});

test("devices over mosquitto (external mode): the same, with unchanged MQTT clients", async () => {
  const mq = await startMosquitto();
  try {
    await scenario("external", () => ({ mode: "external", external: { url: mq.url } }), () => mq.port, { url: mq.url });
  } finally {
    await mq.close();
  }
});

test.run();
