/**
 * Edged's node status: host capacity, engine version, addresses, Ready; NotReady with the error when the engine is
 * unreachable.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cpus } from "node:os";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bus } from "../../lib/core/index.ts";
import { Edged } from "../../lib/edge/edged/index.ts";
import { DockerRuntime } from "../../lib/edge/edged/runtime/index.ts";
import { silentLogger } from "../../lib/log/index.ts";
import { VERSION } from "../../lib/version.ts";
import { MetaStandIn, startHarness } from "./edged_harness.ts";
import { waitUntil } from "../support/process.ts";

test("Edged reports capacity, runtime version, addresses and Ready as nodestatus", async () => {
  const h = await startHarness({ maxPods: 42 });
  try {
    const ns = await waitUntil(() => h.meta.nodeStatus, 15_000, "node status");
    const s = ns.Status;
    assert.equal(s.capacity, { cpu: String(cpus().length), memory: s.capacity.memory, pods: "42" });
    assert.match(s.capacity.memory, /^\d+Ki$/);
    assert.equal(s.allocatable, s.capacity);
    assert.is(s.nodeInfo.kubeletVersion, VERSION);
    assert.match(s.nodeInfo.containerRuntimeVersion, /^docker:\/\/\d+\.\d+/);
    assert.is(s.nodeInfo.operatingSystem, "linux");
    assert.ok(s.nodeInfo.kernelVersion);
    assert.equal(s.addresses[0], { type: "InternalIP", address: "127.0.0.1" });
    assert.is(s.addresses[1].type, "Hostname");
    const ready = s.conditions.find((c: { type: string }) => c.type === "Ready");
    assert.is(ready.status, "True");
    assert.is(ns.Labels["kubernetes.io/hostname"], h.nodeName);
    const count = h.meta.nodeStatusCount;
    await waitUntil(() => h.meta.nodeStatusCount > count, 5000, "periodic resend");
  } finally {
    await h.close();
  }
});

test("Edged reports NotReady with the engine's error when the engine is unreachable", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "edged-down-"));
  const runtime = new DockerRuntime({ socketPath: join(dataDir, "no-docker.sock"), requestTimeoutMs: 2000 });
  const meta = new MetaStandIn();
  const bus = new Bus({ log: silentLogger });
  bus.register(meta);
  bus.register(new Edged({ nodeName: "down-node", dataDir, runtime, statusIntervalMs: 1000 }));
  await bus.start();
  try {
    const ns = await waitUntil(() => meta.nodeStatus, 15_000, "node status");
    const ready = ns.Status.conditions.find((c: { type: string }) => c.type === "Ready");
    assert.is(ready.status, "False");
    assert.is(ready.reason, "KubeletNotReady");
    assert.is(ready.message, `container runtime is down: cannot reach ${join(dataDir, "no-docker.sock")}: ENOENT`);
  } finally {
    await bus.stop();
    await runtime.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test.run();
