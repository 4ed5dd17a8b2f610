import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bus } from "../../../lib/core/index.ts";
import { DeviceTwin } from "../../../lib/edge/devicetwin/index.ts";
import { silentLogger } from "../../../lib/log/index.ts";
import { type Message, newMessage } from "../../../lib/model/index.ts";
import { openMemoryStore, openStore, type Store } from "../../../lib/store/index.ts";
import { Recorder } from "../eventbus/_recorder.ts";
import { waitUntil } from "../../support/process.ts";

type Edge = { bus: Bus; twin: DeviceTwin; mqtt: Recorder; hub: Recorder; store: Store };

async function edge(store: Store, syncConfirmMs = 5000): Promise<Edge> {
  const bus = new Bus({ log: silentLogger });
  const twin = new DeviceTwin({ store, nodeName: "edge-1", log: silentLogger, syncConfirmMs });
  const mqtt = new Recorder("eventbus");
  const hub = new Recorder("edgehub");
  bus.register(twin);
  bus.register(mqtt);
  bus.register(hub);
  await bus.start();
  return { bus, twin, mqtt, hub, store };
}

const device = (topic: string, payload: string) =>
  newMessage({ source: "eventbus", group: "twin", operation: "publish", resource: topic, content: payload });
const cloud = (resource: string, content: unknown) => newMessage({ source: "devicecontroller", group: "twin", operation: "update", resource, content });
const hubEvent = (operation: "connected" | "disconnected") => newMessage({ source: "edgehub", group: "hub", operation, resource: "node", content: null });

const MEMBERSHIP = {
  event_id: "m1", timestamp: 1,
  added_devices: [{ id: "dht11", name: "dht11", description: "TI sensor", attributes: { vendor: { value: "ti", metadata: { type: "string" } } },
    twin: { humidity: { expected: { value: "50" }, optional: false, metadata: { type: "int" }, expected_version: { cloud: 7, edge: 0 } } } }],
  removed_devices: [],
};

/** The payload published on `topic` after position `from`, parsed. */
async function published(e: Edge, topic: string, from = 0): Promise<any> {
  const m = await e.mqtt.waitFor((x) => x.route.resource === topic && e.mqtt.received.indexOf(x) >= from, 5000, topic);
  return JSON.parse(m.content as string);
}

test("DeviceTwin() stores a membership and announces the new device", async () => {
  const e = await edge(await openMemoryStore());
  try {
    await e.bus.send("devicetwin", cloud("membership", MEMBERSHIP));
    const ann = await published(e, "$hw/events/node/edge-1/membership/updated");
    assert.equal(Object.keys(ann), ["event_id", "timestamp", "added_devices", "removed_devices"]);
    assert.equal(ann.added_devices, [{ id: "dht11", name: "dht11", description: "TI sensor", attributes: { vendor: { value: "ti", metadata: { type: "string" } } },
      twin: { humidity: { expected: { value: "50" }, optional: false, metadata: { type: "int" } } } }]);
    assert.is(ann.removed_devices, null);
    const delta = await published(e, "$hw/events/device/dht11/twin/update/delta");
    assert.equal(delta.delta, { humidity: "50" });
    assert.equal(e.store.get("SELECT id, name, description FROM device"), { id: "dht11", name: "dht11", description: "TI sensor" });
    const row = e.store.get<any>("SELECT expected, expected_version, optional, attr_type FROM device_twin WHERE deviceid = 'dht11'");
    assert.equal(row, { expected: "50", expected_version: '{"cloud":7,"edge":0}', optional: 0, attr_type: "int" });
  } finally {
    await e.bus.stop();
  }
});

test("DeviceTwin() answers a twin update with KubeEdge's result payload, document and delta", async () => {
  const e = await edge(await openMemoryStore());
  try {
    await e.bus.send("devicetwin", cloud("membership", MEMBERSHIP));
    await published(e, "$hw/events/node/edge-1/membership/updated");
    const from = e.mqtt.received.length;
    const t0 = Date.now();
    await e.bus.send("devicetwin", device("$hw/events/device/dht11/twin/update", '{"event_id":"u1","timestamp":0,"twin":{"humidity":{"actual":{"value":"42"},"metadata":{"type":"Updated"}}}}'));
    const r = await published(e, "$hw/events/device/dht11/twin/update/result", from);
    const ts = r.twin.humidity.actual.metadata.timestamp;
    assert.ok(ts >= t0 && r.timestamp === ts);
    assert.equal(r, { event_id: "u1", timestamp: ts, twin: { humidity: { actual: { value: "42", metadata: { timestamp: ts } }, optional: false, metadata: { type: "int" } } } });
    const doc = await published(e, "$hw/events/device/dht11/twin/update/document", from);
    assert.equal(doc.twin.humidity.last.actual, undefined);
    assert.equal(doc.twin.humidity.current.actual, { value: "42", metadata: { timestamp: ts } });
    const delta = await published(e, "$hw/events/device/dht11/twin/update/delta", from);
    assert.equal(delta.delta, { humidity: "50" });
    // offline: nothing went to the cloud, but the change is kept dirty
    assert.is(e.hub.received.length, 0);
    assert.equal(e.store.get("SELECT twin_seq, twin_sent FROM device_sync WHERE deviceid = 'dht11'"), { twin_seq: 1, twin_sent: 0 });
  } finally {
    await e.bus.stop();
  }
});

test("DeviceTwin() answers bad requests with 400 and 404 and keeps going", async () => {
  const e = await edge(await openMemoryStore());
  try {
    await e.bus.send("devicetwin", cloud("membership", MEMBERSHIP));
    await published(e, "$hw/events/node/edge-1/membership/updated");
    const cases: [string, string, number, string][] = [
      ["dht11", '{"event_id":"a","timestamp":0}', 400, "Update twin error, the update request body not have key:twin"],
      ["dht11", "not json", 400, "Unmarshal update request body failed, please check the request"],
      ["dht11", '{"twin":{"humidity":{"actual":{"value":5}}}}', 400, "Unmarshal update request body failed, please check the request"],
      ["dht11", '{"event_id":"b","twin":{"bad key!":{"actual":{"value":"1"}}}}', 400, "The key of twin must only include upper or lowercase letters, number, english, and special letter - _ . , : / @ # and the length of key should be less than 128 bytes"],
      ["dht11", '{"event_id":"c","twin":{"humidity":{"actual":{"value":"a b"}}}}', 400, "The value of twin must only include upper or lowercase letters, number, english, and special letter - _ . , : / @ # and the length of value should be less than 512 bytes"],
      ["nosuch", '{"event_id":"d","twin":{"x":{"actual":{"value":"1"}}}}', 404, "Update rejected due to the device is not existed"],
    ];
    for (const [id, payload, code, reason] of cases) {
      const from = e.mqtt.received.length;
      await e.bus.send("devicetwin", device(`$hw/events/device/${id}/twin/update`, payload));
      const r = await published(e, `$hw/events/device/${id}/twin/update/result`, from);
      assert.equal([r.code, r.reason], [code, reason], payload);
      assert.equal(Object.keys(r), ["event_id", "timestamp", "code", "reason"]);
    }
    // a value that does not fit the twin's type, after the twin has an actual value
    let from = e.mqtt.received.length;
    await e.bus.send("devicetwin", device("$hw/events/device/dht11/twin/update", '{"twin":{"humidity":{"actual":{"value":"1"}}}}'));
    await published(e, "$hw/events/device/dht11/twin/update/result", from);
    from = e.mqtt.received.length;
    await e.bus.send("devicetwin", device("$hw/events/device/dht11/twin/update", '{"event_id":"e","twin":{"humidity":{"actual":{"value":"dry"}}}}'));
    const r = await published(e, "$hw/events/device/dht11/twin/update/result", from);
    assert.equal([r.event_id, r.code, r.reason], ["e", 400, "the value is not int or integer"]);
    assert.is(e.store.get<any>("SELECT actual FROM device_twin WHERE name = 'humidity'")!.actual, "1", "nothing applied");
    from = e.mqtt.received.length;
    await e.bus.send("devicetwin", device("$hw/events/device/nosuch/twin/get", "{}"));
    const g = await published(e, "$hw/events/device/nosuch/twin/get/result", from);
    assert.equal([g.code, g.reason], [404, "Device nosuch not found while getting twin"]);
    await e.bus.send("devicetwin", device("$hw/events/device/dht11/state/update", '{"state":"sleepy"}'));
    const s = await published(e, "$hw/events/device/dht11/state/update/result", from);
    assert.is(s.code, 400);
    assert.ok(e.twin.stats.rejected >= 9);
  } finally {
    await e.bus.stop();
  }
});

test("DeviceTwin() answers twin get, state update and membership get", async () => {
  const e = await edge(await openMemoryStore());
  try {
    await e.bus.send("devicetwin", cloud("membership", MEMBERSHIP));
    await e.bus.send("devicetwin", device("$hw/events/device/dht11/twin/update", '{"twin":{"humidity":{"actual":{"value":"42"}}}}'));
    await e.bus.send("devicetwin", device("$hw/events/device/default/dht11/twin/get", '{"event_id":"g1"}'));
    const g = await published(e, "$hw/events/device/default/dht11/twin/get/result");
    assert.is(g.event_id, "g1");
    assert.equal(Object.keys(g.twin.humidity), ["expected", "actual", "optional", "metadata"], "no versions");
    assert.is(g.twin.humidity.actual.value, "42");

    await e.bus.send("devicetwin", device("$hw/events/device/dht11/state/update", '{"event_id":"s1","state":"online"}'));
    const s = await published(e, "$hw/events/device/dht11/state/update/result");
    assert.equal(Object.keys(s), ["event_id", "timestamp", "device"]);
    assert.is(s.device.name, "dht11");
    assert.is(s.device.state, "online");
    assert.match(s.device.last_online, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

    await e.bus.send("devicetwin", device("$hw/events/node/edge-1/membership/get", '{"event_id":"m"}'));
    const m = await published(e, "$hw/events/node/edge-1/membership/get/result");
    assert.equal(m.devices, [{ id: "dht11", name: "dht11", description: "TI sensor", state: "online", last_online: s.device.last_online, attributes: { vendor: { value: "ti", optional: true, metadata: { type: "string" } } } }]);
  } finally {
    await e.bus.stop();
  }
});

test("DeviceTwin() applies expected values from the cloud by version and publishes the delta", async () => {
  const e = await edge(await openMemoryStore());
  try {
    await e.bus.send("devicetwin", cloud("membership", MEMBERSHIP));
    await e.bus.send("devicetwin", device("$hw/events/device/dht11/twin/update", '{"twin":{"humidity":{"actual":{"value":"50"}}}}'));
    await published(e, "$hw/events/device/dht11/twin/update/result");
    let from = e.mqtt.received.length;
    await e.bus.send("devicetwin", cloud("device/dht11/twin/cloud_updated", { event_id: "c1", timestamp: 2, twin: { humidity: { expected: { value: "60" }, metadata: { type: "int" }, expected_version: { cloud: 9, edge: 0 } } } }));
    const delta = await published(e, "$hw/events/device/dht11/twin/update/delta", from);
    assert.equal(delta.delta, { humidity: "60" });
    assert.equal(Object.keys(delta), ["event_id", "timestamp", "twin", "delta"]);
    // an older cloud version is refused and the edge's state is reported back
    await e.bus.send("devicetwin", hubEvent("connected"));
    from = e.hub.received.length;
    await e.bus.send("devicetwin", cloud("device/dht11/twin/cloud_updated", { twin: { humidity: { expected: { value: "70" }, expected_version: { cloud: 8, edge: 0 } } } }));
    const back = await e.hub.waitFor((m) => m.route.resource === "device/dht11/twin/edge_updated" && e.hub.received.indexOf(m) >= from);
    const twin = (back.content as any).twin.humidity;
    assert.equal(twin.expected.value, "60");
    assert.equal(twin.expected_version, { cloud: 9, edge: 0 });
    assert.is(e.store.get<any>("SELECT expected FROM device_twin WHERE name = 'humidity'")!.expected, "60");
  } finally {
    await e.bus.stop();
  }
});

test("DeviceTwin() reports actual values to the cloud when connected", async () => {
  const e = await edge(await openMemoryStore(), 50);
  try {
    await e.bus.send("devicetwin", hubEvent("connected"));
    await e.bus.send("devicetwin", cloud("membership", MEMBERSHIP));
    await e.bus.send("devicetwin", device("$hw/events/device/dht11/twin/update", '{"twin":{"humidity":{"actual":{"value":"42"}}}}'));
    const m = await e.hub.waitFor((x) => x.route.resource === "device/dht11/twin/edge_updated");
    assert.equal({ ...m.route, source: m.route.source }, { source: "twin", group: "twin", operation: "update", resource: "device/dht11/twin/edge_updated" });
    const c = m.content as any;
    assert.equal(Object.keys(c), ["event_id", "timestamp", "twin"]);
    assert.equal(c.twin.humidity.actual.value, "42");
    assert.equal(c.twin.humidity.actual_version, { cloud: 0, edge: 1 });
    await e.bus.send("devicetwin", device("$hw/events/device/dht11/state/update", '{"state":"offline"}'));
    const st = await e.hub.waitFor((x) => x.route.resource === "device/dht11/state");
    assert.is((st.content as any).device.state, "offline");
    // confirmed after syncConfirmMs without a drop: no longer dirty
    await waitUntil(() => e.store.get<any>("SELECT twin_seq - twin_sent AS d FROM device_sync")!.d === 0, 5000, "the twin update confirmed");
    assert.equal(e.store.get("SELECT twin_seq, twin_sent, state_seq, state_sent FROM device_sync"), { twin_seq: 1, twin_sent: 1, state_seq: 1, state_sent: 1 });
  } finally {
    await e.bus.stop();
  }
});

test("DeviceTwin() keeps offline updates across a restart and reports them when the cloud returns", async () => {
  const dir = mkdtempSync(join(tmpdir(), "devicetwin-"));
  try {
    let e = await edge(await openStore(join(dir, "edge.db"), { log: silentLogger }));
    await e.bus.send("devicetwin", cloud("membership", MEMBERSHIP));
    await e.bus.send("devicetwin", device("$hw/events/device/dht11/twin/update", '{"event_id":"x","twin":{"humidity":{"actual":{"value":"41"}}}}'));
    await published(e, "$hw/events/device/dht11/twin/update/result");
    await e.bus.send("devicetwin", device("$hw/events/device/dht11/state/update", '{"state":"online"}'));
    await published(e, "$hw/events/device/dht11/state/update/result");
    assert.is(e.hub.received.length, 0);
    await e.bus.stop();
    await e.store.close();

    e = await edge(await openStore(join(dir, "edge.db"), { log: silentLogger }));
    await e.bus.send("devicetwin", hubEvent("connected"));
    const twin = await e.hub.waitFor((x) => x.route.resource === "device/dht11/twin/edge_updated");
    assert.is((twin.content as any).twin.humidity.actual.value, "41");
    const state = await e.hub.waitFor((x) => x.route.resource === "device/dht11/state");
    assert.is((state.content as any).device.state, "online");
    // a drop before confirmation means the next connect reports again
    await e.bus.send("devicetwin", hubEvent("disconnected"));
    const n = e.hub.received.length;
    await e.bus.send("devicetwin", hubEvent("connected"));
    await e.hub.waitFor((x) => x.route.resource === "device/dht11/twin/edge_updated" && e.hub.received.indexOf(x) >= n);
    await e.bus.stop();
    await e.store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("DeviceTwin() removes devices left out of a membership detail", async () => {
  const e = await edge(await openMemoryStore());
  try {
    await e.bus.send("devicetwin", cloud("membership", MEMBERSHIP));
    await e.bus.send("devicetwin", cloud("membership", { added_devices: [{ id: "lamp", name: "lamp" }] }));
    await e.bus.send("devicetwin", cloud("membership/detail", { event_id: "", timestamp: 0, devices: [{ id: "lamp", name: "lamp" }] }));
    const ann = (m: Message) => m.route.resource === "$hw/events/node/edge-1/membership/updated" && JSON.parse(m.content as string).removed_devices !== null;
    const removed = JSON.parse((await e.mqtt.waitFor(ann)).content as string);
    assert.equal(removed.removed_devices, [{ id: "dht11" }]);
    assert.equal(e.store.all("SELECT id FROM device"), [{ id: "lamp" }]);
    assert.equal(e.store.all("SELECT count(*) AS n FROM device_twin"), [{ n: 0 }]);
  } finally {
    await e.bus.stop();
  }
});

test("DeviceTwin() counts requests it does not understand", async () => {
  const e = await edge(await openMemoryStore());
  try {
    const reply = await e.bus.sendSync("devicetwin", cloud("something/else", {}), { timeoutMs: 5000 });
    assert.is(reply.route.operation, "error");
    await e.bus.send("devicetwin", device("$hw/events/device/a/b/c/twin/update", "{}"));
    await e.bus.send("devicetwin", cloud("membership", "{not json"));
    await e.bus.send("devicetwin", device("$hw/events/node/edge-1/membership/get", "{}"));
    await published(e, "$hw/events/node/edge-1/membership/get/result");
    assert.is(e.twin.stats.unknown, 2);
  } finally {
    await e.bus.stop();
  }
});

test.run();
