/**
 * A real edge_core process with no cloud reachable runs the pods stored in its store; killed with SIGKILL and started
 * again, it adopts the running containers (same IDs, nothing recreated) and recreates only what went missing while it
 * was down.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bus } from "../../lib/core/index.ts";
import type { Pod } from "../../lib/edge/edged/index.ts";
import { DockerRuntime, ensureBusyboxImage } from "../../lib/edge/edged/runtime/index.ts";
import { MetaManager } from "../../lib/edge/metamanager/index.ts";
import { silentLogger } from "../../lib/log/index.ts";
import { newMessage } from "../../lib/model/index.ts";
import { openStore } from "../../lib/store/index.ts";
import { useTestDocker } from "../support/docker.ts";
import { ROOT, startBackground, tsArgs, waitUntil } from "../support/process.ts";
import { selfSignedTls } from "../support/tls.ts";
import { IMAGE, makePod } from "./edged_harness.ts";

/** Stores pods as the cloud would have sent them, through MetaManager, into the node's store. */
async function storePods(dbPath: string, pods: Pod[]): Promise<void> {
  const store = await openStore(dbPath, { log: silentLogger });
  const bus = new Bus({ log: silentLogger });
  const mm = new MetaManager({ store, log: silentLogger });
  bus.register(mm);
  bus.register({ name: "edgehub", group: "hub", async start(ctx) { for await (const _ of ctx.inbox) { /* ACKs to nowhere */ } } });
  await bus.start();
  for (const [i, p] of pods.entries()) {
    await bus.send("metamanager", newMessage({ source: "edgecontroller", group: "resource", operation: "insert", resource: `default/pod/${p.metadata.name}`, content: p, resourceVersion: String(i + 1) }));
  }
  await waitUntil(() => mm.counters.stored >= pods.length, 10_000, "pods stored");
  await bus.stop();
  await store.close();
}

test("edge_core killed with SIGKILL adopts its running containers after an offline restart", async () => {
  const docker = await useTestDocker();
  const runtime = new DockerRuntime({ socketPath: docker.socketPath });
  await ensureBusyboxImage(runtime);
  const dir = mkdtempSync(join(tmpdir(), "edged-kill-"));
  const nodeName = `kill-${process.pid}`;
  const dataDir = join(dir, "data");
  try {
    const tls = await selfSignedTls(nodeName);
    mkdirSync(join(dataDir, "certs"), { recursive: true });
    writeFileSync(join(dataDir, "certs/ca.crt"), tls.ca);
    writeFileSync(join(dataDir, "certs/node.crt"), tls.cert);
    writeFileSync(join(dataDir, "certs/node.key"), tls.key);
    writeFileSync(join(dir, "edge.yaml"), [
      `nodeName: ${nodeName}`,
      `dataDir: ${dataDir}`,
      "edgeHub:\n  server: 127.0.0.1:1",
      `edged:\n  dockerSocket: ${docker.socketPath}\n  nodeIP: 127.0.0.1`,
      "eventBus:\n  internal:\n    address: 127.0.0.1:0",
      "",
    ].join("\n"));
    const spec = { containers: [{ name: "main", image: IMAGE, imagePullPolicy: "IfNotPresent" as const, command: ["sleep", "3600"] }], nodeName };
    const pods = [makePod("keep-a", spec), makePod("keep-b", spec)];
    await storePods(join(dataDir, "edge.db"), pods);

    const run = () => startBackground(...tsArgs(join(ROOT, "cmd/edge_core.ts"), "--config", join(dir, "edge.yaml"), "--log-level", "info"));
    let core = run();
    const mine = async () => (await runtime.listContainers({ "kubeedge-ts.node": nodeName })).filter((c) => c.state === "running");
    await waitUntil(async () => (await mine()).length === 4, 30_000, "4 containers running");
    const before = (await mine()).map((c) => c.id).sort();
    await core.kill("SIGKILL");

    // while edge_core is dead, the app container of keep-b goes away
    const [gone] = await runtime.listContainers({ "kubeedge-ts.pod.uid": pods[1].metadata.uid!, "kubeedge-ts.container.role": "app" });
    await runtime.removeContainer(gone.id);

    core = run();
    await core.waitFor(/edged started/, 30_000);
    await waitUntil(async () => (await mine()).length === 4, 20_000, "keep-b recreated");
    const after = (await mine()).map((c) => c.id).sort();
    assert.equal(after.filter((id) => before.includes(id)).length, 3, "the three surviving containers are the same ones");
    assert.not.ok(after.includes(gone.id));
    const created = core.output().match(/container started/g) ?? [];
    assert.is(created.length, 1, `only the missing container is created:\n${core.output()}`);
    assert.not.match(core.output(), /sandbox started/);
    await core.kill("SIGTERM");
    assert.is((await mine()).length, 4, "stopping edge_core leaves pods running");
  } finally {
    for (const c of await runtime.listContainers({ "kubeedge-ts.node": nodeName })) await runtime.removeContainer(c.id);
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
    await docker.release();
  }
});

test.run();
