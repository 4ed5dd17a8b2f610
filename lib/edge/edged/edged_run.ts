/**
 * One run of Edged between start and stop: wires the pod manager, node status and engine events to the bus, loads
 * the stored pods from MetaManager (offline too), then serves the inbox.
 *
 * @module
 */
import { join } from "node:path";
import type { ModuleContext } from "../../core/index.ts";
import {
  buildResource, errorReplyTo, Group, type Message, ModuleName, newMessage, Op, parseResource, ResourceType, Source, usageMessage,
} from "../../model/index.ts";
import type { ResolvedEdgedOptions } from "./edged_options.ts";
import { type HandledType, makeHandlers } from "./handlers/index.ts";
import type { Store } from "../../store/types.ts";
import { readBootId, rememberBootId } from "./boot_id.ts";
import { EventRecorder } from "./event_recorder.ts";
import { ImageManager } from "./image_manager.ts";
import { Label } from "./labels.ts";
import { Limiter } from "./limiter.ts";
import { NodeStatusReporter } from "./node_status.ts";
import { ObjectSource } from "./object_source.ts";
import { PodManager } from "./pod_manager.ts";
import { RestartBackoff } from "./restart_backoff.ts";
import type { ContainerRuntime } from "./runtime/index.ts";
import type { Pod } from "./types.ts";
import { UsageSampler } from "./usage_sampler.ts";

const LOAD_RETRY_MAX_MS = 5000;
const EVENTS_RETRY_MAX_MS = 5000;

/** Counters of one run. */
export type EdgedStats = {
  handled: number;
  unknown: number;
  /** The phase last reported for each pod of this node, by pod UID. */
  phases: Map<string, string>;
  /** What EdgeHub last said of the cloud link; kept across runs, as EdgeHub tells only changes. */
  linkUp: boolean;
};

/**
 * Runs Edged until `ctx.signal` aborts. Containers are left running when it returns.
 *
 * @returns when the bus stops
 */
export async function runEdged(o: ResolvedEdgedOptions, runtime: ContainerRuntime, outer: ModuleContext, stats: EdgedStats): Promise<void> {
  // this run's background tasks end with it, also when it fails and the bus starts it again
  const local = new AbortController();
  const signal = AbortSignal.any([outer.signal, local.signal]);
  const ctx = { ...outer, signal };
  const { bus, log } = ctx;
  const send = async (msg: Message) => {
    try {
      await bus.send(o.metaModule, msg, signal);
    } catch (e) {
      if (!signal.aborted) log.warn("cannot send to metamanager", { resource: msg.route.resource, error: e instanceof Error ? e.message : String(e) });
    }
  };
  const meta = (operation: string, resource: string, content: unknown) => newMessage({ source: Source.edged, group: Group.meta, operation, resource, content });
  // one series per Event name: always `update`, so the offline outbox keeps only its latest count
  const events = new EventRecorder({
    log: log.child("events"),
    send: (e) => send(meta(Op.update, buildResource(e.metadata.namespace, ResourceType.event, e.metadata.name), e)),
  });
  events.setOnline(stats.linkUp);
  const nodeEvent = (type: "Normal" | "Warning", reason: string, message: string) =>
    events.record({ kind: "Node", name: o.nodeName, namespace: "default", uid: o.nodeName }, type, reason, message);
  const node = new NodeStatusReporter({
    runtime, runtimeEndpoint: socketOf(runtime) ?? o.dockerSocket,
    nodeName: o.nodeName, nodeIP: o.nodeIP, maxPods: o.maxPods, intervalMs: o.statusIntervalMs, log: log.child("node"),
    send: (content) => send(meta(Op.update, buildResource("default", ResourceType.nodeStatus, o.nodeName), content)),
    recordEvent: nodeEvent,
  });
  const objects = new ObjectSource({ bus, metaModule: o.metaModule, queryTimeoutMs: o.queryTimeoutMs });
  const pods = new PodManager({
    runtime, objects, log,
    images: new ImageManager({ runtime, log, pullBackoffBaseMs: o.pullBackoffBaseMs, pullBackoffMaxMs: o.pullBackoffMaxMs, busyboxPath: o.busyboxPath }),
    restarts: new RestartBackoff({ baseMs: o.restartBackoffBaseMs, maxMs: o.restartBackoffMaxMs }),
    limiter: new Limiter(o.concurrentSyncs),
    nodeName: o.nodeName,
    hostIP: () => node.nodeIP,
    podsDir: join(o.dataDir, "pods"),
    sandboxImage: o.sandboxImage,
    resyncMs: o.podResyncMs,
    statusResendMs: o.podStatusResendMs,
    reportStatus: (pod, status) => {
      const m = pod.metadata;
      if (m.uid) stats.phases.set(m.uid, String((status as { phase?: unknown })?.phase ?? "Unknown"));
      return send(meta(Op.update, buildResource(m.namespace ?? "default", ResourceType.podStatus, m.name ?? ""), { UID: m.uid, Name: m.name, Status: status }));
    },
    confirmDeletion: (pod) => {
      const m = pod.metadata;
      if (m.uid) stats.phases.delete(m.uid);
      return send(meta(Op.delete, buildResource(m.namespace ?? "default", ResourceType.pod, m.name ?? ""), { UID: m.uid }));
    },
    recordEvent: (pod, type, reason, message, fieldPath) => {
      const m = pod.metadata;
      events.record({ kind: "Pod", name: m.name ?? "", namespace: m.namespace ?? "default", uid: m.uid, fieldPath }, type, reason, message);
    },
  });
  const handlers = makeHandlers({
    pods, objects, node,
    linkChanged: (up) => {
      stats.linkUp = up;
      events.setOnline(up);
    },
  });
  if (o.store) void tellReboot(o.store, o.bootIdPath, o.nodeName, nodeEvent, log);
  // usage readings go straight to EdgeHub: they are live, not objects for MetaManager to store
  const usage = new UsageSampler({
    runtime, nodeName: o.nodeName, intervalMs: o.resourceUsageIntervalMs, concurrency: o.resourceUsageConcurrency, log: log.child("usage"),
    send: (report) => bus.send(ModuleName.edgeHub, usageMessage(Source.edged, o.nodeName, report), signal),
  });
  const background = [watchEvents(runtime, o.nodeName, pods, ctx), node.run(signal), usage.run(signal)];
  try {
    const desired = await loadPods(o, ctx);
    if (signal.aborted) return;
    pods.start(desired);
    background.push(sweepOrphans(pods, ctx));
    log.info("edged started", { node: o.nodeName, pods: desired.length });
    for await (const msg of ctx.inbox) {
      let type = "";
      let ns = "", name = "";
      try {
        ({ type, namespace: ns, name } = parseResource(msg.route.resource));
      } catch {
        // an unparseable resource is counted as unknown below
      }
      const handler = (handlers as Record<string, (typeof handlers)[HandledType] | undefined>)[type];
      if (handler?.(msg, ns, name)) {
        stats.handled++;
        continue;
      }
      stats.unknown++;
      log.warn("unknown message", { operation: msg.route.operation, resource: msg.route.resource });
      if (msg.header.sync) bus.respond(errorReplyTo(msg, `edged cannot handle ${msg.route.operation} on "${msg.route.resource}"`, Source.edged));
    }
  } finally {
    local.abort();
    await pods.stop();
    await Promise.allSettled(background);
  }
}

/** Asks MetaManager for every stored pod (a query with namespace `*`, type `pod`), retrying until it answers. */
async function loadPods(o: ResolvedEdgedOptions, ctx: ModuleContext): Promise<Pod[]> {
  let delay = 200;
  while (!ctx.signal.aborted) {
    const req = newMessage({ source: Source.edged, group: Group.meta, operation: Op.query, resource: buildResource("*", ResourceType.pod), content: null });
    try {
      const reply = await ctx.bus.sendSync(o.metaModule, req, { timeoutMs: o.queryTimeoutMs, signal: ctx.signal });
      if (reply.route.operation !== Op.error && Array.isArray(reply.content)) {
        return (reply.content as Pod[]).filter((p) => p?.metadata && p.spec && (!p.spec.nodeName || p.spec.nodeName === o.nodeName));
      }
      ctx.log.warn("metamanager refused the pod list", { reply: String(reply.content) });
    } catch (e) {
      if (ctx.signal.aborted) break;
      ctx.log.warn("cannot load stored pods, retrying", { error: e instanceof Error ? e.message : String(e), inMs: delay });
    }
    await sleep(delay, ctx.signal);
    delay = Math.min(delay * 2, LOAD_RETRY_MAX_MS);
  }
  return [];
}

/** Removes what belongs to pods no longer wanted, retrying while the engine is down. */
async function sweepOrphans(pods: PodManager, ctx: ModuleContext): Promise<void> {
  let delay = 500;
  while (!ctx.signal.aborted) {
    try {
      await pods.removeOrphans();
      return;
    } catch (e) {
      ctx.log.warn("cannot remove containers of unknown pods, retrying", { error: e instanceof Error ? e.message : String(e), inMs: delay });
    }
    await sleep(delay, ctx.signal);
    delay = Math.min(delay * 2, EVENTS_RETRY_MAX_MS);
  }
}

/** Wakes pod workers on their containers' engine events; after a broken stream, wakes all (events may be lost). */
async function watchEvents(runtime: ContainerRuntime, nodeName: string, pods: PodManager, ctx: ModuleContext): Promise<void> {
  let delay = 200;
  let broken = false;
  while (!ctx.signal.aborted) {
    try {
      const stream = runtime.events({ [Label.node]: nodeName }, ctx.signal);
      if (broken) pods.triggerAll();
      for await (const e of stream) {
        delay = 200;
        if (e.action === "die" || e.action === "start" || e.action === "oom" || e.action === "destroy") pods.containerEvent(e.labels);
      }
    } catch (e) {
      if (ctx.signal.aborted) break;
      ctx.log.debug("engine event stream broke", { error: e instanceof Error ? e.message : String(e), retryInMs: delay });
    }
    broken = true;
    await sleep(delay, ctx.signal);
    delay = Math.min(delay * 2, EVENTS_RETRY_MAX_MS);
  }
}

/** Records Rebooted when the boot id differs from the one kept in the store; a store failure is only logged. */
async function tellReboot(store: Store, path: string, nodeName: string, nodeEvent: (type: "Warning", reason: string, message: string) => void, log: ModuleContext["log"]): Promise<void> {
  try {
    const bootId = await readBootId(path);
    if (await rememberBootId(store, bootId)) nodeEvent("Warning", "Rebooted", `Node ${nodeName} has been rebooted, boot id: ${bootId}`);
  } catch (e) {
    log.warn("cannot compare the boot id with the last one", { error: e instanceof Error ? e.message : String(e) });
  }
}

/** The socket a Docker runtime dials (a runtime handed in by a test may have its own), for the NotReady message. */
function socketOf(runtime: ContainerRuntime): string | undefined {
  const path = (runtime as { socketPath?: unknown }).socketPath;
  return typeof path === "string" ? path : undefined;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
