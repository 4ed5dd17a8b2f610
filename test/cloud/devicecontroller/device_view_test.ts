import { test } from "uvu";
import * as assert from "uvu/assert";
import { desiredUpdate, edgeDevice, nodeOf, withReported } from "../../../lib/cloud/devicecontroller/device_view.ts";
import type { DeviceCR, DeviceModelCR } from "../../../lib/cloud/devicecontroller/index.ts";

const MODEL: DeviceModelCR = { metadata: { name: "m", namespace: "ns" }, spec: { properties: [{ name: "temp", type: { int: { accessMode: "ReadOnly" } } }] } };
const models = (ns: string, name: string) => (ns === "ns" && name === "m" ? MODEL : undefined);

function dev(rv: string, twins: NonNullable<DeviceCR["status"]>["twins"], node = "edge-1"): DeviceCR {
  return {
    metadata: { name: "d", namespace: "ns", resourceVersion: rv, labels: { description: "a sensor" } },
    spec: { deviceModelRef: { name: "m" }, nodeSelector: { nodeSelectorTerms: [{ matchExpressions: [{ values: [node] }] }] } },
    status: { twins },
  };
}

test("nodeOf() reads the node from the node selector or spec.nodeName", () => {
  assert.is(nodeOf(dev("1", [])), "edge-1");
  assert.is(nodeOf({ spec: { nodeName: "edge-9" } }), "edge-9");
  assert.is(nodeOf({ spec: {} }), undefined);
});

test("edgeDevice() turns desired twins into versioned expected values typed by the model", () => {
  const d = edgeDevice(dev("42", [{ propertyName: "temp", desired: { value: "20" } }, { propertyName: "mode", desired: { value: "a", metadata: { type: "string" } } }, { propertyName: "seen" }]), models, 7);
  assert.equal(d, {
    id: "d", name: "d", description: "a sensor",
    twin: {
      temp: { expected: { value: "20", metadata: { timestamp: 7 } }, optional: false, metadata: { type: "int" }, expected_version: { cloud: 42, edge: 0 } },
      mode: { expected: { value: "a", metadata: { timestamp: 7 } }, optional: false, metadata: { type: "string" }, expected_version: { cloud: 42, edge: 0 } },
    },
  });
});

test("desiredUpdate() sends every desired twin when one changed, plus removed ones as deleted", () => {
  const before = dev("1", [{ propertyName: "temp", desired: { value: "20" } }, { propertyName: "old", desired: { value: "x" } }]);
  assert.is(desiredUpdate(before, dev("2", [{ propertyName: "temp", desired: { value: "20" }, reported: { value: "19" } }, { propertyName: "old", desired: { value: "x" } }]), models), undefined);
  const u = desiredUpdate(before, dev("3", [{ propertyName: "temp", desired: { value: "25" } }]), models, 9)!;
  assert.equal(u.temp.expected, { value: "25", metadata: { timestamp: 9 } });
  assert.equal(u.temp.expected_version, { cloud: 3, edge: 0 });
  assert.equal(u.old.metadata, { type: "deleted" });
});

test("withReported() writes actual values as reported and adds twins the Device lacks", () => {
  const d = dev("1", [{ propertyName: "temp", desired: { value: "20" } }]);
  const twins = withReported(d, { temp: { actual: { value: "19", metadata: { timestamp: 5 } }, metadata: { type: "int" } }, hum: { actual: { value: "40" } }, skip: { expected: { value: "1" } } }, 6)!;
  assert.equal(twins, [
    { propertyName: "temp", desired: { value: "20" }, reported: { value: "19", metadata: { timestamp: "5", type: "int" } } },
    { propertyName: "hum", reported: { value: "40", metadata: { timestamp: "6" } } },
  ]);
  assert.is(withReported({ ...d, status: { twins } }, { temp: { actual: { value: "19", metadata: { timestamp: 5 } }, metadata: { type: "int" } } }), undefined, "no change, no write");
});

test.run();
