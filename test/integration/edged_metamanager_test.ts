/**
 * Edged with the real MetaManager and a durable store: a pod sent by the cloud runs and its status reaches the hub;
 * after an offline restart (no cloud) the same containers are adopted from the store; a deletion is confirmed.
 * Only EdgeHub is stood in: a module that records what would go to the cloud.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bus, type ModuleContext } from "../../lib/core/index.ts";
import { Edged, type Pod, type PodStatus } from "../../lib/edge/edged/index.ts";
import { DockerRuntime, ensureBusyboxImage } from "../../lib/edge/edged/runtime/index.ts";
import { MetaManager } from "../../lib/edge/metamanager/index.ts";
import { silentLogger } from "../../lib/log/index.ts";
import { type Message, newMessage } from "../../lib/model/index.ts";
import { openStore } from "../../lib/store/index.ts";
import type { Store } from "../../lib/store/types.ts";
import { useTestDocker } from "../support/docker.ts";
import { IMAGE, makePod } from "./edged_harness.ts";
import { waitUntil } from "../support/process.ts";

/** Records what MetaManager hands to EdgeHub for the cloud. */
class HubRecorder {
  readonly name = "edgehub";
  readonly group = "hub";
  readonly sent: Message[] = [];
  async start(ctx: ModuleContext): Promise<void> {
    for await (const m of ctx.inbox) this.sent.push(m);
  }
  status(resource: string): PodStatus | undefined {
    const last = this.sent.filter((m) => m.route.resource === resource && m.route.operation === "update").at(-1);
    return (last?.content as { Status?: PodStatus } | undefined)?.Status;
  }
}

test("a cloud pod runs through MetaManager, survives an offline restart with adopted containers, and its deletion is confirmed", async () => {
  const docker = await useTestDocker();
  const runtime = new DockerRuntime({ socketPath: docker.socketPath });
  await ensureBusyboxImage(runtime);
  const dataDir = mkdtempSync(join(tmpdir(), "edged-mm-"));
  const nodeName = `mm-${process.pid}`;
  let store: Store | undefined;
  let bus: Bus | undefined;
  const boot = async () => {
    store = await openStore(join(dataDir, "edge.db"), { log: silentLogger });
    const hub = new HubRecorder();
    bus = new Bus({ log: silentLogger, stopTimeoutMs: 10_000 });
    bus.register(new MetaManager({ store, log: silentLogger }));
    bus.register(new Edged({ nodeName, dataDir, runtime, nodeIP: "127.0.0.1", statusIntervalMs: 1000 }));
    bus.register(hub);
    await bus.start();
    return hub;
  };
  const shutdown = async () => {
    await bus?.stop();
    await store?.close();
  };
  try {
    let hub = await boot();
    const pod: Pod = makePod("cloudpod", { nodeName, containers: [{ name: "main", image: IMAGE, imagePullPolicy: "IfNotPresent", command: ["sleep", "3600"] }] });
    pod.metadata.resourceVersion = "10";
    await bus!.send("metamanager", newMessage({ source: "edgecontroller", group: "resource", operation: "insert", resource: "default/pod/cloudpod", content: pod, resourceVersion: "10" }));
    const st = await waitUntil(() => hub.status("default/podstatus/cloudpod")?.phase === "Running" && hub.status("default/podstatus/cloudpod")!, 15_000, "status at the hub");
    const id = st.containerStatuses[0].containerID;
    assert.ok(hub.sent.some((m) => m.route.resource === `default/nodestatus/${nodeName}`), "node status goes to the cloud too");

    await shutdown();
    hub = await boot();
    const again = await waitUntil(() => {
      const s = hub.status("default/podstatus/cloudpod");
      return s?.conditions.find((c) => c.type === "Ready")?.status === "True" && s;
    }, 15_000, "status after offline restart");
    assert.is(again.containerStatuses[0].containerID, id, "adopted, not recreated");
    assert.is(again.containerStatuses[0].restartCount, 0);

    const dying = { ...pod, metadata: { ...pod.metadata, resourceVersion: "11", deletionTimestamp: new Date().toISOString(), deletionGracePeriodSeconds: 1 } };
    await bus!.send("metamanager", newMessage({ source: "edgecontroller", group: "resource", operation: "update", resource: "default/pod/cloudpod", content: dying, resourceVersion: "11" }));
    const confirm = await waitUntil(() => hub.sent.find((m) => m.route.operation === "delete" && m.route.resource === "default/pod/cloudpod"), 15_000, "deletion confirmed to the cloud");
    assert.equal(confirm.content, { UID: pod.metadata.uid });
    assert.is((await runtime.listContainers({ "kubeedge-ts.pod.uid": pod.metadata.uid! })).length, 0);
  } finally {
    await shutdown();
    for (const c of await runtime.listContainers({ "kubeedge-ts.node": nodeName })) await runtime.removeContainer(c.id);
    await runtime.close();
    rmSync(dataDir, { recursive: true, force: true });
    await docker.release();
  }
});

test.run();
