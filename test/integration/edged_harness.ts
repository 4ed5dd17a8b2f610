/**
 * Runs the real Edged on a real Bus against the shared test dockerd, with a small MetaManager stand-in: it stores
 * pods, ConfigMaps and Secrets in Maps, answers Edged's queries, and records the statuses and deletion confirmations
 * Edged sends. (The stand-in only plays MetaManager's side of the message contract, so these tests exercise Edged's
 * own behaviour.) Each harness uses its own node name, so tests running at the same time on one engine stay apart.
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Bus, type Module, type ModuleContext } from "../../lib/core/index.ts";
import { Edged, type EdgedOptions, type Pod, type PodStatus } from "../../lib/edge/edged/index.ts";
import { DockerRuntime, ensureBusyboxImage } from "../../lib/edge/edged/runtime/index.ts";
import { createLogger, silentLogger } from "../../lib/log/index.ts";
import { errorReplyTo, type Message, newMessage, parseResource, replyTo } from "../../lib/model/index.ts";
import { useTestDocker, type TestDocker } from "../support/docker.ts";

/** The busybox image every test pod runs. */
export const IMAGE = "kubeedge-ts/busybox:latest";

/** MetaManager's side of the contract, in memory. */
export class MetaStandIn implements Module {
  readonly name = "metamanager";
  readonly group = "meta";
  readonly objects = new Map<string, unknown>();
  readonly statuses = new Map<string, { UID: string; Name: string; Status: PodStatus }>();
  readonly statusLog: { key: string; status: PodStatus }[] = [];
  readonly deleted: { key: string; UID: string }[] = [];
  nodeStatus: { Status: Record<string, any>; Labels: Record<string, string> } | undefined;
  nodeStatusCount = 0;
  /** The Events Edged reported (`update <ns>/event/<name>`), in order. */
  readonly events: { metadata: { name: string }; reason: string; message: string; count: number }[] = [];

  async start(ctx: ModuleContext): Promise<void> {
    for await (const msg of ctx.inbox) this.#handle(ctx, msg);
  }

  #handle(ctx: ModuleContext, msg: Message): void {
    const { operation, resource } = msg.route;
    const r = parseResource(resource);
    if (operation === "query") {
      if (!r.name) {
        const inList = (k: string) => k.split("/")[1] === r.type && (r.namespace === "*" || k.split("/")[0] === r.namespace);
        ctx.bus.respond(replyTo(msg, [...this.objects].filter(([k]) => inList(k)).map(([, v]) => v), "metaManager"));
      } else {
        const o = this.objects.get(resource);
        ctx.bus.respond(o === undefined ? errorReplyTo(msg, "not found", "metaManager") : replyTo(msg, o, "metaManager"));
      }
    } else if (r.type === "podstatus") {
      const c = msg.content as { UID: string; Name: string; Status: PodStatus };
      this.statuses.set(`${r.namespace}/${r.name}`, c);
      this.statusLog.push({ key: `${r.namespace}/${r.name}`, status: c.Status });
    } else if (r.type === "nodestatus") {
      this.nodeStatus = msg.content as MetaStandIn["nodeStatus"];
      this.nodeStatusCount++;
    } else if (r.type === "event") {
      this.events.push(msg.content as MetaStandIn["events"][number]);
    } else if (r.type === "pod" && operation === "delete") {
      this.deleted.push({ key: `${r.namespace}/${r.name}`, UID: (msg.content as { UID: string }).UID });
      this.objects.delete(resource);
    }
  }
}

/** A running Edged with its engine and stand-in. */
export type Harness = {
  nodeName: string;
  dataDir: string;
  runtime: DockerRuntime;
  docker: TestDocker;
  meta: MetaStandIn;
  bus: Bus;
  edged: Edged;
  /** Stores and sends `insert` (or `update` when stored) of an object, as MetaManager forwards it. */
  put(kind: "pod" | "configmap" | "secret", obj: { metadata: { namespace?: string; name?: string; [key: string]: unknown }; [key: string]: unknown }): Promise<void>;
  /** Sends `delete` of a pod, as MetaManager forwards it. */
  remove(pod: Pod): Promise<void>;
  status(ns: string, name: string): PodStatus | undefined;
  /** Stops the bus (Edged) without touching containers, then starts a fresh Bus and Edged on the same store. */
  restart(): Promise<void>;
  close(): Promise<void>;
};

/** Options of {@link startHarness}. */
export type HarnessOptions = Partial<EdgedOptions> & { startEdged?: boolean };

/** Starts Edged with fast timings for tests. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const docker = await useTestDocker();
  const runtime = new DockerRuntime({ socketPath: docker.socketPath });
  await ensureBusyboxImage(runtime);
  const nodeName = options.nodeName ?? `t-${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
  const dataDir = mkdtempSync(join(tmpdir(), "edged-test-"));
  const meta = new MetaStandIn();
  const log = process.env.TEST_DEBUG ? createLogger("test", { level: "debug" }) : silentLogger;
  const make = () => {
    const bus = new Bus({ log, stopTimeoutMs: 10_000 });
    const edged = new Edged({
      nodeName, dataDir, runtime, nodeIP: "127.0.0.1",
      restartBackoffBaseMs: 300, restartBackoffMaxMs: 2000, pullBackoffBaseMs: 500, statusIntervalMs: 1000, podResyncMs: 2000,
      ...options,
    });
    bus.register(meta);
    bus.register(edged);
    return { bus, edged };
  };
  let cur = make();
  await cur.bus.start();
  const h: Harness = {
    nodeName, dataDir, runtime, docker, meta,
    get bus() { return cur.bus; },
    get edged() { return cur.edged; },
    async put(kind, obj) {
      const key = `${obj.metadata.namespace ?? "default"}/${kind}/${obj.metadata.name}`;
      const op = meta.objects.has(key) ? "update" : "insert";
      meta.objects.set(key, obj);
      await cur.bus.send("edged", newMessage({ source: "metaManager", group: "meta", operation: op, resource: key, content: obj }));
    },
    async remove(pod) {
      const key = `${pod.metadata.namespace ?? "default"}/pod/${pod.metadata.name}`;
      await cur.bus.send("edged", newMessage({ source: "metaManager", group: "meta", operation: "delete", resource: key, content: pod }));
    },
    status: (ns, name) => meta.statuses.get(`${ns}/${name}`)?.Status,
    async restart() {
      await cur.bus.stop();
      cur = make();
      await cur.bus.start();
    },
    async close() {
      await cur.bus.stop();
      const mine = await runtime.listContainers({ "kubeedge-ts.node": nodeName });
      await Promise.all(mine.map((c) => runtime.removeContainer(c.id)));
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
      await docker.release();
    },
  };
  return h;
}

/** A pod for the test node with a fresh UID. */
export function makePod(name: string, spec: Pod["spec"], ns = "default"): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: ns, uid: crypto.randomUUID(), creationTimestamp: new Date().toISOString() },
    spec: { restartPolicy: "Always", terminationGracePeriodSeconds: 2, ...spec },
  };
}

export { freePort } from "../support/process.ts";
