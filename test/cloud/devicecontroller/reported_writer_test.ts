import { test } from "uvu";
import * as assert from "uvu/assert";
import { type DeviceApi, DeviceApiError, type DeviceCR } from "../../../lib/cloud/devicecontroller/index.ts";
import { ReportedWriter } from "../../../lib/cloud/devicecontroller/reported_writer.ts";
import { silentLogger } from "../../../lib/log/index.ts";

/** A DeviceApi double keeping one Device, with optimistic locking like the API server. */
class FakeApi implements DeviceApi {
  device: DeviceCR = { metadata: { name: "d", namespace: "ns", resourceVersion: "1" }, status: { twins: [{ propertyName: "t", desired: { value: "1" } }] } };
  patches: { patch: any; subresource?: string }[] = [];
  statusSubresource = false;
  conflictsLeft = 0;
  slowMs = 0;
  async watchDevices() {}
  async watchModels() {}
  async getDevice() {
    return structuredClone(this.device);
  }
  async patchDevice(_ns: string, _name: string, patch: any, subresource?: "status") {
    this.patches.push({ patch: structuredClone(patch), subresource });
    if (this.slowMs) await new Promise((r) => setTimeout(r, this.slowMs));
    if (subresource === "status" && !this.statusSubresource) throw new DeviceApiError(404, "the server could not find the requested resource");
    if (this.conflictsLeft > 0) {
      this.conflictsLeft--;
      this.device.metadata!.resourceVersion = String(Number(this.device.metadata!.resourceVersion) + 1);
      throw new DeviceApiError(409, "conflict");
    }
    if (patch.metadata?.resourceVersion !== this.device.metadata!.resourceVersion) throw new DeviceApiError(409, "conflict");
    if (!this.statusSubresource || subresource === "status") this.device.status = patch.status;
    this.device.metadata!.resourceVersion = String(Number(this.device.metadata!.resourceVersion) + 1);
    return structuredClone(this.device);
  }
  async stop() {}
}

const writer = (api: FakeApi) => new ReportedWriter({ api, cached: () => undefined, maxConflictRetries: 5, retryMs: 1, log: silentLogger });
const actual = (v: string, ts = 1) => ({ t: { actual: { value: v, metadata: { timestamp: ts } } } });

test("ReportedWriter writes reported values with the resourceVersion it read", async () => {
  const api = new FakeApi();
  const w = writer(api);
  w.report("ns", "d", actual("7"));
  await w.idle();
  assert.equal(api.device.status!.twins, [{ propertyName: "t", desired: { value: "1" }, reported: { value: "7", metadata: { timestamp: "1" } } }]);
  assert.is(api.patches[0].patch.metadata.resourceVersion, "1");
});

test("ReportedWriter re-reads the Device and retries after a conflict", async () => {
  const api = new FakeApi();
  api.conflictsLeft = 2;
  const w = writer(api);
  w.report("ns", "d", actual("8"));
  await w.idle();
  assert.is(api.patches.length, 3);
  assert.is(api.device.status!.twins![0].reported!.value, "8");
});

test("ReportedWriter merges reports that arrive while a write is in flight", async () => {
  const api = new FakeApi();
  api.slowMs = 20;
  const w = writer(api);
  for (let i = 1; i <= 50; i++) w.report("ns", "d", actual(String(i), i));
  await w.idle();
  assert.ok(api.patches.length <= 2, `${api.patches.length} writes`);
  assert.is(api.device.status!.twins![0].reported!.value, "50");
});

test("ReportedWriter switches to the status subresource when the main resource ignores status", async () => {
  const api = new FakeApi();
  api.statusSubresource = true;
  const w = writer(api);
  w.report("ns", "d", actual("9"));
  await w.idle();
  assert.equal(api.patches.map((p) => p.subresource), [undefined, "status"]);
  assert.is(api.device.status!.twins![0].reported!.value, "9");
  w.report("ns", "d", actual("10", 2));
  await w.idle();
  assert.is(api.patches.at(-1)!.subresource, "status");
});

test("ReportedWriter keeps writing the main resource after a report without a timestamp", async () => {
  const api = new FakeApi();
  api.slowMs = 5; // the write takes time, so a second clock reading would differ from the first
  const w = writer(api);
  w.report("ns", "d", { t: { actual: { value: "11" } } });
  await w.idle();
  w.report("ns", "d", actual("12", 3));
  await w.idle();
  assert.equal(api.patches.map((p) => p.subresource), [undefined, undefined]);
  assert.is(api.device.status!.twins![0].reported!.value, "12");
});

test("ReportedWriter goes back to the main resource when the status subresource answers 404 for an existing Device", async () => {
  const api = new FakeApi();
  api.statusSubresource = true;
  const w = writer(api);
  w.report("ns", "d", actual("13"));
  await w.idle();
  api.statusSubresource = false; // the CRD was replaced by one without a status subresource
  w.report("ns", "d", actual("14", 2));
  await w.idle();
  assert.is(api.device.status!.twins![0].reported!.value, "14");
  assert.is(api.patches.at(-1)!.subresource, undefined);
});

test.run();
