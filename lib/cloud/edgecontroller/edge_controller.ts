/**
 * The EdgeController module: Kubernetes objects to edge nodes, edge reports back into Kubernetes. It talks to
 * Kubernetes only through @kubernetes/client-node and to nodes only through cloudhub messages.
 *
 * @module
 */
import type { KubeConfig, KubernetesObject, V1Pod, V1Service } from "@kubernetes/client-node";
import { contain, LogThrottle, type Module, type ModuleContext } from "../../core/index.ts";
import { createLogger, type Logger } from "../../log/index.ts";
import { errorReplyTo, fromCloudResource, type Message, ModuleName, parseResource, type Resource } from "../../model/index.ts";
import { EDGE_ROLE_LABEL, type CacheEvent, type Caches, startCaches } from "./caches.ts";
import { Downstream } from "./downstream.ts";
import { ForbiddenError, InvalidReportError, type HandledOp, makeHandlers, type UpstreamHandler } from "./handlers/index.ts";
import { KeyedQueue } from "./keyed_queue.ts";
import { createEdgeKubeApi, type EdgeKubeApi } from "./kube_api.ts";
import { NodeHealth } from "./node_health.ts";
import { onEdgeNodeDeleted } from "./node_deletion.ts";
import { NodeIndex } from "./node_index.ts";
import { PodTokenIssuer } from "./pod_tokens.ts";
import { autonomyTolerationsPatch } from "./tolerations.ts";

/** Options of {@link EdgeController}. */
export type EdgeControllerOptions = {
  kubeConfig: KubeConfig;
  /** A node whose link stays down this long gets Ready=Unknown. @default 40000 */
  nodeGracePeriodMs?: number;
  /** @default 40 */
  leaseDurationSeconds?: number;
  /** Upstream requests in flight at once. @default 32 */
  concurrency?: number;
  /** For tests of handlers only; the real one is built from kubeConfig. */
  api?: EdgeKubeApi;
  log?: Logger;
};

/** Counters for observability. */
export type EdgeControllerStats = { upstream: number; failed: number; unknown: number; forbidden: number; invalid: number; downstream: number };

/** At most one log line per node and kind of refused message in this period. @default 10000 */
const REFUSAL_LOG_PERIOD_MS = 10_000;

/** The EdgeController module (name "edgecontroller"). */
export class EdgeController implements Module {
  readonly name = ModuleName.edgeController;
  readonly group = "controller";
  readonly stats: EdgeControllerStats = { upstream: 0, failed: 0, unknown: 0, forbidden: 0, invalid: 0, downstream: 0 };
  readonly #refusals = new LogThrottle(REFUSAL_LOG_PERIOD_MS);
  readonly #o: EdgeControllerOptions;
  readonly #api: EdgeKubeApi;
  readonly #index = new NodeIndex();
  #log: Logger;
  #caches?: Caches;
  #health?: NodeHealth;
  #tokens?: PodTokenIssuer;

  constructor(options: EdgeControllerOptions) {
    this.#o = options;
    this.#api = options.api ?? createEdgeKubeApi(options.kubeConfig);
    this.#log = options.log ?? createLogger("edgecontroller");
  }

  /** Lists pods, configmaps, secrets, services and edge nodes before any node is served. */
  async init(): Promise<void> {
    this.#caches = await startCaches(this.#o.kubeConfig, this.#log);
  }

  async start(ctx: ModuleContext): Promise<void> {
    const caches = this.#caches!;
    this.#log = ctx.log;
    const send = async (m: Message) => {
      this.stats.downstream++;
      await ctx.bus.send(ModuleName.cloudHub, m, ctx.signal);
    };
    const health = (this.#health ??= new NodeHealth({ graceMs: this.#o.nodeGracePeriodMs ?? 40_000, api: this.#api, caches, log: ctx.log }));
    const queue = new KeyedQueue(this.#o.concurrency ?? 32, (e) => ctx.log.error("edgecontroller task failed", { error: String(e) }));
    // renewed tokens go out on the node's key, in order with the node's pod messages and resyncs
    const tokens = (this.#tokens = new PodTokenIssuer({
      api: this.#api, log: ctx.log.child("tokens"),
      onRenew: (key) => {
        const [ns, name] = key.split("/");
        const node = caches.pods.get(name!, ns)?.spec?.nodeName ?? "";
        void queue.submit(`node/${node}`, () => down.renewTokens(key));
      },
    }));
    const down = new Downstream({ caches, index: this.#index, send, connected: (n) => health.isConnected(n), tokens, log: ctx.log });
    const deletedWhileLinked = new Set<string>();
    const handlers: Record<string, UpstreamHandler> = makeHandlers({
      api: this.#api, caches, index: this.#index, tokens, reply: send, log: ctx.log, leaseDurationSeconds: this.#o.leaseDurationSeconds ?? 40,
      deletedWhileLinked,
    });
    // pod events share the node's key with its resync, so a pod sent during a resync is always in the resync's list
    const onPod = (ev: CacheEvent) => (pod: V1Pod) => {
      void queue.submit(`node/${pod.spec?.nodeName ?? ""}`, () => down.onPod(ev, pod));
      // the toleration PATCH is an API write; on its own key it never delays the next pod's message to the node
      if (ev !== "delete") void queue.submit(`tolerations/${pod.metadata?.namespace}/${pod.metadata?.name}`, () => this.#ensureTolerations(pod));
    };
    const onRef = (kind: "configmap" | "secret", ev: CacheEvent) => (obj: KubernetesObject) => {
      void queue.submit(`${kind}/${obj.metadata?.namespace}/${obj.metadata?.name}`, () => down.onRef(kind, ev, obj));
    };
    // a Service change goes on the key of each node it concerns, in order with that node's pod messages and resyncs
    const onService = (ev: CacheEvent) => (svc: V1Service) => {
      for (const node of down.serviceTargets(svc)) void queue.submit(`node/${node}`, () => down.onService(node, ev, svc));
    };
    // a stored object these callbacks cannot read is logged and skipped, never the end of the process
    const guard = <T extends KubernetesObject>(what: string, fn: (o: T) => void) => (o: T) =>
      contain(fn, { log: ctx.log, what, context: { object: `${o.metadata?.namespace}/${o.metadata?.name}` } })(o);
    for (const ev of ["add", "update", "delete"] as const) {
      caches.pods.on(ev, guard(`pod ${ev}`, onPod(ev)));
      caches.configMaps.on(ev, guard(`configmap ${ev}`, onRef("configmap", ev)));
      caches.secrets.on(ev, guard(`secret ${ev}`, onRef("secret", ev)));
      caches.services.on(ev, guard(`service ${ev}`, onService(ev)));
    }
    caches.nodes.on("delete", guard("node delete", (node) => {
      const name = node.metadata?.name ?? "";
      // marked at once, before any report queued behind this event can register the node again
      if (health.isConnected(name)) deletedWhileLinked.add(name);
      const kept = (n: string) => deletedWhileLinked.delete(n);
      void queue.submit(`node/${name}`, () => onEdgeNodeDeleted({ api: this.#api, bus: ctx.bus, signal: ctx.signal, log: ctx.log, kept }, node));
    }));
    for (const pod of caches.pods.list()) {
      this.#index.setPod(pod);
      void queue.submit(`node/${pod.spec?.nodeName ?? ""}`, () => this.#ensureTolerations(pod));
    }

    for await (const msg of ctx.inbox) {
      if (msg.route.group === "hub") {
        const node = msg.route.resource.replace(/^node\//, "");
        if (msg.route.operation === "connected") {
          health.connected(node);
          deletedWhileLinked.delete(node);
          await queue.submit(`node/${node}`, async () => {
            await down.resync(node);
          });
        } else if (msg.route.operation === "disconnected") health.disconnected(node);
        continue;
      }
      let node: string, resource: Resource;
      try {
        const c = fromCloudResource(msg.route.resource);
        node = c.node;
        resource = parseResource(c.resource);
      } catch (e) {
        this.stats.unknown++;
        if (this.#refusals.admit(`bad-resource|${msg.route.resource.split("/")[1] ?? ""}`) !== undefined) {
          ctx.log.warn("message with a bad resource dropped", { resource: msg.route.resource.slice(0, 300), error: String(e).slice(0, 300) });
        }
        continue;
      }
      const key = `${msg.route.operation}:${resource.type}` as HandledOp;
      const handler = handlers[key];
      this.stats.upstream++;
      if (!handler) {
        this.stats.unknown++;
        if (this.#refusals.admit(`${node}|unknown`) !== undefined) ctx.log.warn("unknown upstream message", { node, operation: msg.route.operation, resource: msg.route.resource.slice(0, 300) });
        if (msg.header.sync) await send(errorReplyTo(msg, `edgecontroller does not handle ${msg.route.operation} of ${resource.type}`, this.name));
        continue;
      }
      await queue.submit(`${resource.namespace}/${resource.type}/${resource.name}`, async () => {
        try {
          await handler(msg, node, resource);
        } catch (e) {
          const kind = e instanceof ForbiddenError ? "forbidden" : e instanceof InvalidReportError ? "invalid" : "failed";
          this.stats[kind]++;
          const text = e instanceof Error ? e.message : String(e);
          const suppressed = this.#refusals.admit(`${node}|${kind}|${msg.route.operation}:${resource.type}`);
          if (suppressed !== undefined) {
            const line = kind === "failed" ? "upstream message failed" : `upstream message refused: ${kind}`;
            ctx.log.warn(line, { node, operation: msg.route.operation, resource: resource.type, error: text, ...(suppressed ? { suppressedSinceLast: suppressed } : {}) });
          }
          if (msg.header.sync || msg.route.operation === "query") await send(errorReplyTo(msg, text, this.name));
        }
      });
    }
    await queue.idle();
  }

  async #ensureTolerations(pod: V1Pod): Promise<void> {
    const node = pod.spec?.nodeName;
    if (!node || this.#caches!.nodes.get(node)?.metadata?.labels?.[EDGE_ROLE_LABEL] === undefined) return;
    const patch = autonomyTolerationsPatch(pod);
    if (!patch) return;
    try {
      await this.#api.patchPod(pod.metadata!.namespace!, pod.metadata!.name!, patch);
    } catch (e) {
      this.#log.warn("cannot add autonomy tolerations", { pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, error: String(e) });
    }
  }

  async stop(): Promise<void> {
    this.#health?.stop();
    this.#tokens?.stop();
    await this.#caches?.stop();
  }
}
