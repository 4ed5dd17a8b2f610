import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as yaml from "js-yaml";
import { publish, subscribe, type Subscriber } from "../edge/eventbus/_mqtt_cli.ts";
import { ROOT, waitUntil } from "../support/process.ts";
import { checkOn, createRealCloud, type RealCloud, type RealEdge } from "./_cloud.ts";

// conf/samples/device-counter.yaml in the real API, bound to an edge node: the desired value reaches the device as a
// delta over MQTT, and the value the device reports comes back into the Device's status.twins[].reported.

const NS = `devices-${process.pid}`;
const DEVICE = "counter";
let rc: RealCloud | undefined;
let edge: RealEdge;
let sub: Subscriber | undefined;
let failed = false;
let setupError: unknown;

const device = async () => JSON.parse(await rc!.kubectl(["-n", NS, "get", "device", DEVICE, "-o", "json"]));
const twin = (d: any, name: string) => (d.status?.twins ?? []).find((t: any) => t.propertyName === name);
/** The merge patch README gives for setting a desired value (status.twins is replaced whole). */
const desired = (value: string) => JSON.stringify({ status: { twins: [{ propertyName: "status", desired: { value, metadata: { type: "string" } } }] } });
const deltas = () => sub!.messages().filter((m) => m.topic === `$hw/events/device/${DEVICE}/twin/update/delta`).map((m) => JSON.parse(m.payload));

test.before(async () => {
  try {
    rc = await createRealCloud();
    if (!rc) return;
    await rc.startCloud();
    edge = await rc.addEdge("devices");
    rc.own(NS);
    await rc.kubectl(["create", "namespace", NS]);
  } catch (e) {
    // uvu drops an error thrown by a before hook: keep it for the first test to report
    setupError = e;
    failed = true;
  }
});

test.after(async () => {
  await sub?.close();
  if (!rc) return;
  if (failed) console.error(`logs kept in ${rc.dumpLogs()}`);
  await rc.close(failed);
});

const check = checkOn(() => ({ rc, setupError }), () => (failed = true));

check("the sample DeviceModel and Device apply to the real API, bound to the edge node", async () => {
  const docs = yaml.loadAll(readFileSync(join(ROOT, "conf/samples/device-counter.yaml"), "utf8")) as any[];
  for (const d of docs) d.metadata.namespace = NS;
  const bound = docs.find((d) => d.kind === "Device");
  bound.spec.nodeSelector.nodeSelectorTerms[0].matchExpressions[0].values = [edge.name];
  const out = await rc!.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify({ apiVersion: "v1", kind: "List", items: docs }) });
  assert.match(out, /devicemodel.devices.kubeedge.io\/counter-model created/);
  assert.match(out, /device.devices.kubeedge.io\/counter created/);
});

check("the desired value reaches the device as a delta over MQTT", async () => {
  await edge.start();
  sub = await subscribe(edge.mqttPort, [`$hw/events/device/${DEVICE}/twin/#`]);
  // the edge knows the device (membership) once twin/get answers with its twins
  await waitUntil(async () => {
    await publish(edge.mqttPort, `$hw/events/device/${DEVICE}/twin/get`, '{"event_id":"probe","timestamp":0}');
    return sub!.messages().some((m) => m.topic.endsWith("/twin/get/result") && JSON.parse(m.payload).twin?.status);
  }, 30_000, "the edge to know the device");
  await rc!.kubectl(["-n", NS, "patch", "device", DEVICE, "--type", "merge", "-p", desired("ON")]);
  await waitUntil(() => deltas().some((d) => d.delta?.status === "ON"), 20_000, `a delta status=ON on the edge's broker; seen: ${JSON.stringify(sub!.messages())}`);
});

check("a value the device reports comes back into the Device's status, and a new desired value follows", async () => {
  await publish(edge.mqttPort, `$hw/events/device/${DEVICE}/twin/update`, '{"event_id":"","timestamp":0,"twin":{"status":{"actual":{"value":"ON"},"metadata":{"type":"Updated"}}}}');
  await waitUntil(() => sub!.messages().some((m) => m.topic.endsWith("/twin/update/result")), 10_000, `the edge's answer on twin/update/result; MQTT seen: ${JSON.stringify(sub!.messages().map((m) => m.topic))}`);
  await waitUntil(async () => twin(await device(), "status")?.reported?.value === "ON", 20_000, `status.twins[status].reported.value ON; MQTT seen: ${JSON.stringify(sub!.messages().slice(-3))}`);
  const d = await device();
  assert.is(twin(d, "status").desired.value, "ON", "the desired value is kept");

  const before = deltas().length;
  await rc!.kubectl(["-n", NS, "patch", "device", DEVICE, "--type", "merge", "-p", desired("OFF")]);
  await waitUntil(() => deltas().slice(before).some((x) => x.delta?.status === "OFF"), 20_000, "a delta status=OFF after kubectl patch");
});

check("cloud_core, running as the ServiceAccount of conf/kubernetes/, was denied nothing", async () => {
  assert.equal(rc!.rbacDenials(), []);
});

test.run();
