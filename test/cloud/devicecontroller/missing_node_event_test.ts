/**
 * DeviceController against the embedded API: a Device bound to a node that does not exist gets one Warning Event
 * `NodeNotFound` naming the node (not one per update), and `kubectl describe device` shows it; a Device on an
 * existing node gets none.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CoreV1Api, type CoreV1Event, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { DeviceController, type DeviceCR } from "../../../lib/cloud/devicecontroller/index.ts";
import { Bus } from "../../../lib/core/index.ts";
import { silentLogger } from "../../../lib/log/index.ts";
import { startTestApiServer, type TestApiServer } from "../../support/apiserver.ts";
import { waitUntil } from "../../support/process.ts";
import { Recorder } from "../../edge/eventbus/_recorder.ts";

const G = { group: "devices.kubeedge.io", version: "v1alpha1" };
const MERGE = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
const NS = "default";

let server: TestApiServer;
let custom: CustomObjectsApi;
let core: CoreV1Api;
let bus: Bus;
let hub: Recorder;

function device(name: string, node: string): DeviceCR {
  return {
    apiVersion: "devices.kubeedge.io/v1alpha1", kind: "Device",
    metadata: { name, namespace: NS },
    spec: {
      deviceModelRef: { name: "lamp-model" },
      protocol: { customizedProtocol: { protocolName: "virtual" } },
      nodeSelector: { nodeSelectorTerms: [{ matchExpressions: [{ key: "", operator: "In", values: [node] }] }] },
    },
    status: { twins: [{ propertyName: "power", desired: { value: "off" } }] },
  };
}

const createDevice = (name: string, node: string) => custom.createNamespacedCustomObject({ ...G, namespace: NS, plural: "devices", body: device(name, node) });

async function eventsOf(name: string): Promise<CoreV1Event[]> {
  const list = await core.listNamespacedEvent({ namespace: NS });
  return list.items.filter((e) => e.involvedObject.kind === "Device" && e.involvedObject.name === name);
}

test.before(async () => {
  server = await startTestApiServer();
  const kc = new KubeConfig();
  kc.loadFromFile(server.api.kubeconfigPath!);
  custom = kc.makeApiClient(CustomObjectsApi);
  core = kc.makeApiClient(CoreV1Api);
  await core.createNode({ body: { apiVersion: "v1", kind: "Node", metadata: { name: "edge-present" } } });
  await custom.createNamespacedCustomObject({ ...G, namespace: NS, plural: "devicemodels", body: {
    apiVersion: "devices.kubeedge.io/v1alpha1", kind: "DeviceModel", metadata: { name: "lamp-model", namespace: NS },
    spec: { properties: [{ name: "power", type: { string: { accessMode: "ReadWrite", defaultValue: "off" } } }] },
  } });
  bus = new Bus({ log: silentLogger });
  hub = new Recorder("cloudhub");
  const dc = new DeviceController({ kubeConfig: kc, log: silentLogger, retryMs: 200 });
  bus.register(hub);
  bus.register(dc);
  await bus.start();
  await waitUntil(() => dc.synced, 15_000, "devicecontroller to sync");
});

test.after(async () => {
  await bus.stop();
  await server.close();
});

test("a Device bound to a missing node gets one Warning Event NodeNotFound naming the node; one on a real node gets none", async () => {
  await createDevice("lamp-ok", "edge-present");
  await createDevice("lamp-lost", "edge-typo");
  await waitUntil(async () => (await eventsOf("lamp-lost")).length > 0, 10_000, "an Event on lamp-lost");
  const [event] = await eventsOf("lamp-lost");
  assert.is(event.type, "Warning");
  assert.is(event.reason, "NodeNotFound");
  assert.match(event.message ?? "", /node "edge-typo" does not exist/);
  assert.is(event.source?.component, "devicecontroller");
  assert.is(event.involvedObject.apiVersion, "devices.kubeedge.io/v1alpha1");

  // More changes of the same Device on the same node: no new Event. A second missing-node Device's Event comes after
  // any repeat would have been written, so waiting for it bounds the wait.
  const before = hub.received.length;
  for (const value of ["on", "off", "on"]) {
    await custom.patchNamespacedCustomObject({ ...G, namespace: NS, plural: "devices", name: "lamp-lost", body: {
      status: { twins: [{ propertyName: "power", desired: { value } }] },
    } }, MERGE);
  }
  await hub.waitFor((m) => m.route.resource === "node/edge-typo/device/lamp-lost/twin/cloud_updated" && hub.received.indexOf(m) >= before && (m.content as any).twin.power.expected.value === "on");
  await createDevice("lamp-lost-2", "edge-typo-2");
  await waitUntil(async () => (await eventsOf("lamp-lost-2")).length === 1, 10_000, "an Event on lamp-lost-2");
  assert.is((await eventsOf("lamp-lost")).length, 1, "one Event per Device and node, not one per update");
  assert.is((await eventsOf("lamp-ok")).length, 0, "no Event for a Device on an existing node");
});

test("`kubectl describe device` shows the NodeNotFound warning", async () => {
  const r = await server.kubectl(["describe", "device", "lamp-lost", "-n", NS]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /Warning\s+NodeNotFound\s+.*node "edge-typo" does not exist/);
});

test.run();
