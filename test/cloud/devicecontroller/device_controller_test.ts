import { test } from "uvu";
import * as assert from "uvu/assert";
import { CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { DeviceController, type DeviceCR } from "../../../lib/cloud/devicecontroller/index.ts";
import { Bus } from "../../../lib/core/index.ts";
import { silentLogger } from "../../../lib/log/index.ts";
import { type Message, newMessage } from "../../../lib/model/index.ts";
import { startTestApiServer, type TestApiServer } from "../../support/apiserver.ts";
import { waitUntil } from "../../support/process.ts";
import { Recorder } from "../../edge/eventbus/_recorder.ts";

const G = { group: "devices.kubeedge.io", version: "v1alpha1" };
const MERGE = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

let server: TestApiServer;
let api: CustomObjectsApi;
let bus: Bus;
let hub: Recorder;
let dc: DeviceController;

const content = (m: Message) => m.content as Record<string, any>;
const byResource = (r: string, after = 0) => (m: Message) => m.route.resource === r && hub.received.indexOf(m) >= after;

function device(name: string, node: string, twins: { propertyName: string; desired?: { value: string; metadata?: Record<string, string> } }[]): DeviceCR {
  return {
    apiVersion: "devices.kubeedge.io/v1alpha1", kind: "Device",
    metadata: { name, namespace: "default", labels: { description: "counter" } },
    spec: {
      deviceModelRef: { name: "counter-model" },
      protocol: { customizedProtocol: { protocolName: "virtual" } },
      nodeSelector: { nodeSelectorTerms: [{ matchExpressions: [{ key: "", operator: "In", values: [node] }] }] },
    },
    status: { twins },
  };
}

async function getDevice(name: string): Promise<DeviceCR> {
  return (await api.getNamespacedCustomObject({ ...G, namespace: "default", plural: "devices", name })) as DeviceCR;
}

test.before(async () => {
  server = await startTestApiServer();
  const kc = new KubeConfig();
  kc.loadFromFile(server.api.kubeconfigPath!);
  api = kc.makeApiClient(CustomObjectsApi);
  await api.createNamespacedCustomObject({ ...G, namespace: "default", plural: "devicemodels", body: {
    apiVersion: "devices.kubeedge.io/v1alpha1", kind: "DeviceModel", metadata: { name: "counter-model", namespace: "default" },
    spec: { properties: [{ name: "count", type: { int: { accessMode: "ReadOnly" } } }, { name: "status", type: { string: { accessMode: "ReadWrite", defaultValue: "OFF" } } }] },
  } });
  bus = new Bus({ log: silentLogger });
  hub = new Recorder("cloudhub");
  dc = new DeviceController({ kubeConfig: kc, log: silentLogger, retryMs: 200 });
  bus.register(hub);
  bus.register(dc);
  await bus.start();
  await waitUntil(() => dc.synced, 15_000, "devicecontroller to sync");
});

test.after(async () => {
  await bus.stop();
  await server.close();
});

test("DeviceController() sends a connecting node its full device list", async () => {
  await bus.send("devicecontroller", newMessage({ source: "cloudhub", group: "hub", operation: "connected", resource: "node/edge-1", content: null }));
  const m = await hub.waitFor(byResource("node/edge-1/membership/detail"));
  assert.equal(m.route.group, "twin");
  assert.equal(m.route.source, "devicecontroller");
  assert.equal(content(m).devices, []);
});

test("DeviceController() sends membership with expected twins when a Device is bound to a node", async () => {
  const created = (await api.createNamespacedCustomObject({ ...G, namespace: "default", plural: "devices", body: device("counter", "edge-1", [
    { propertyName: "status", desired: { value: "ON", metadata: { type: "string" } } },
    { propertyName: "count", desired: { value: "0" } },
  ]) })) as DeviceCR;
  const m = await hub.waitFor(byResource("node/edge-1/membership"));
  const rv = Number(created.metadata!.resourceVersion);
  const c = content(m);
  assert.is(c.removed_devices.length, 0);
  assert.is(c.added_devices.length, 1);
  const d = c.added_devices[0];
  assert.is(d.id, "counter");
  assert.is(d.name, "counter");
  assert.is(d.description, "counter");
  assert.equal(d.twin.status.expected.value, "ON");
  assert.equal(d.twin.status.metadata, { type: "string" });
  assert.equal(d.twin.status.expected_version, { cloud: rv, edge: 0 });
  assert.equal(d.twin.count.metadata, { type: "int" }, "type from the DeviceModel");
  assert.is(d.twin.count.optional, false);
});

test("DeviceController() sends changed desired values as cloud_updated with the resourceVersion", async () => {
  const before = hub.received.length;
  const patched = (await api.patchNamespacedCustomObject({ ...G, namespace: "default", plural: "devices", name: "counter", body: {
    status: { twins: [{ propertyName: "status", desired: { value: "OFF", metadata: { type: "string" } } }, { propertyName: "count", desired: { value: "0" } }] },
  } }, MERGE)) as DeviceCR;
  const m = await hub.waitFor(byResource("node/edge-1/device/counter/twin/cloud_updated", before));
  assert.is(m.header.resourceversion, patched.metadata!.resourceVersion);
  const twin = content(m).twin;
  assert.is(twin.status.expected.value, "OFF");
  assert.equal(twin.status.expected_version, { cloud: Number(patched.metadata!.resourceVersion), edge: 0 });
});

test("DeviceController() writes actual values from the edge to status.twins[].reported and adds unknown twins", async () => {
  const before = hub.received.length;
  await bus.send("devicecontroller", newMessage({ source: "cloudhub", group: "twin", operation: "update", resource: "node/edge-1/device/counter/twin/edge_updated", content: {
    event_id: "e", timestamp: 1, twin: {
      count: { actual: { value: "1643", metadata: { timestamp: 1649387604123 } }, optional: false, metadata: { type: "int" }, actual_version: { cloud: 0, edge: 1 } },
      temperature: { actual: { value: "21", metadata: { timestamp: 1649387604124 } }, metadata: { type: "string" } },
    },
  } }));
  await waitUntil(async () => (await getDevice("counter")).status?.twins?.length === 3, 10_000, "reported values in the Device");
  const twins = (await getDevice("counter")).status!.twins!;
  assert.equal(twins.find((t) => t.propertyName === "count")!.reported, { value: "1643", metadata: { timestamp: "1649387604123", type: "int" } });
  assert.equal(twins.find((t) => t.propertyName === "count")!.desired, { value: "0" }, "desired kept");
  assert.equal(twins.find((t) => t.propertyName === "temperature"), { propertyName: "temperature", reported: { value: "21", metadata: { timestamp: "1649387604124", type: "string" } } });
  await dc.idle();
  await new Promise((r) => setTimeout(r, 300)); // a window: a reported-only change must send nothing down
  assert.not.ok(hub.received.slice(before).some((m) => m.route.resource.endsWith("cloud_updated")), "a reported-only change sends nothing down");
});

test("DeviceController() moves membership when a Device moves to another node, and removes it on delete", async () => {
  const before = hub.received.length;
  await api.patchNamespacedCustomObject({ ...G, namespace: "default", plural: "devices", name: "counter", body: {
    spec: { nodeSelector: { nodeSelectorTerms: [{ matchExpressions: [{ key: "", operator: "In", values: ["edge-2"] }] }] } },
  } }, MERGE);
  const removed = await hub.waitFor(byResource("node/edge-1/membership", before));
  assert.equal(content(removed).removed_devices, [{ id: "counter", name: "counter" }]);
  const added = await hub.waitFor(byResource("node/edge-2/membership", before));
  assert.is(content(added).added_devices[0].id, "counter");

  const before2 = hub.received.length;
  await api.deleteNamespacedCustomObject({ ...G, namespace: "default", plural: "devices", name: "counter" });
  const gone = await hub.waitFor(byResource("node/edge-2/membership", before2));
  assert.equal(content(gone).removed_devices, [{ id: "counter", name: "counter" }]);
});

test("DeviceController() resends a node's devices and desired twins when it reconnects", async () => {
  await api.createNamespacedCustomObject({ ...G, namespace: "default", plural: "devices", body: device("lamp", "edge-1", [{ propertyName: "power", desired: { value: "on" } }]) });
  await hub.waitFor((m) => m.route.resource === "node/edge-1/membership" && content(m).added_devices?.[0]?.id === "lamp");
  const before = hub.received.length;
  await bus.send("devicecontroller", newMessage({ source: "cloudhub", group: "hub", operation: "disconnected", resource: "node/edge-1", content: null }));
  await bus.send("devicecontroller", newMessage({ source: "cloudhub", group: "hub", operation: "connected", resource: "node/edge-1", content: null }));
  const m = await hub.waitFor(byResource("node/edge-1/membership/detail", before));
  const devices = content(m).devices;
  assert.is(devices.length, 1);
  assert.is(devices[0].id, "lamp");
  assert.is(devices[0].twin.power.expected.value, "on");
});

test("DeviceController() answers an unknown sync request with an error", async () => {
  const reply = await bus.sendSync("devicecontroller", newMessage({ source: "t", group: "twin", operation: "frob", resource: "node/edge-1/nothing", content: null }), { timeoutMs: 5000 });
  assert.is(reply.route.operation, "error");
  assert.is(dc.stats.unknown, 1);
});

test.run();
