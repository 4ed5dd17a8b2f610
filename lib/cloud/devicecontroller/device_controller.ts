/**
 * The DeviceController module: Device and DeviceModel custom resources to edge nodes (membership, expected twin
 * values) and the edges' actual values back into `status.twins[].reported`.
 *
 * @module
 */
import { backoffDelayMs, BusError, type Bus, type Module, type ModuleContext } from "../../core/index.ts";
import { createLogger, type Logger } from "../../log/index.ts";
import { errorReplyTo, Group, isReply, type Message, ModuleName, Source } from "../../model/index.ts";
import { type DeviceApi, DeviceApiError, type WatchHandlers } from "./device_api.ts";
import { type EdgeRequest, routeRequest } from "./edge_requests.ts";
import { DeviceSync, type SentKind } from "./device_sync.ts";
import { KubeDeviceApi } from "./kube_device_api.ts";
import { kubeNodeCheckApi, MissingNodeWarnings } from "./missing_node.ts";
import { ReportedWriter } from "./reported_writer.ts";
import type { DeviceControllerOptions, DeviceCR, MsgTwin } from "./types.ts";

const DEFAULTS = { retryMs: 1000, retryMaxMs: 30_000, maxConflictRetries: 5 };

/** Counters for observability and tests. */
export type DeviceControllerStats = Record<SentKind, number> & { reports: number; unknown: number; refused: number };

/**
 * DeviceController (module "devicecontroller", group "twin", on the cloud bus).
 *
 * Consumes: from cloudhub `node/<n>/device/<id>/twin/edge_updated` (DeviceTwinResult: actual values), `node/<n>/
 * device/<id>/state`, `node/<n>/membership/detail` (a node asking for its devices) and the hub events `connected`/
 * `disconnected` (resource `node/<n>`).
 *
 * Emits to "cloudhub" (group twin, source devicecontroller): `node/<n>/membership` (MembershipUpdate) when a Device
 * is bound to, moved from or deleted on a node; `node/<n>/membership/detail` (all of the node's devices) on every
 * connect; `node/<n>/device/<id>/twin/cloud_updated` when desired twins change. Records a Warning Event
 * `NodeNotFound` on a Device whose node does not exist (`./missing_node.ts`).
 *
 * @example On the cloud bus, with the cluster's kubeconfig
 * ```ts
 * const kc = new KubeConfig();
 * kc.loadFromFile(kubeconfigPath);
 * bus.register(new DeviceController({ kubeConfig: kc }));
 * ```
 */
export class DeviceController implements Module {
  readonly name = ModuleName.deviceController;
  readonly group = Group.twin;
  readonly stats: DeviceControllerStats = { membership: 0, details: 0, twinUpdates: 0, reports: 0, unknown: 0, refused: 0 };
  readonly #opts: typeof DEFAULTS;
  readonly #log: Logger;
  readonly #api: DeviceApi;
  readonly #sync: DeviceSync;
  readonly #writer: ReportedWriter;
  /** Warns about Devices bound to a node that does not exist (with a cluster to ask; not with a test `api`). */
  readonly #nodes: MissingNodeWarnings | undefined;
  #bus: Bus | undefined;
  #watching = false;

  /** @param options `api` replaces the client-node implementation (for tests of callers). */
  constructor(options: DeviceControllerOptions | (Omit<DeviceControllerOptions, "kubeConfig"> & { api: DeviceApi })) {
    this.#opts = { ...DEFAULTS, ...withoutUndefined({ retryMs: options.retryMs, retryMaxMs: options.retryMaxMs, maxConflictRetries: options.maxConflictRetries }) };
    this.#log = options.log ?? createLogger(ModuleName.deviceController);
    this.#api = "api" in options ? options.api : new KubeDeviceApi(options.kubeConfig, { log: this.#log, retryMs: this.#opts.retryMs, retryMaxMs: this.#opts.retryMaxMs });
    this.#sync = new DeviceSync((msg, kind) => this.#send(msg, kind));
    this.#nodes = "kubeConfig" in options && options.kubeConfig ? new MissingNodeWarnings(kubeNodeCheckApi(options.kubeConfig), this.#log) : undefined;
    this.#writer = new ReportedWriter({
      api: this.#api,
      cached: (ns, name) => this.#sync.device(ns, name),
      maxConflictRetries: this.#opts.maxConflictRetries,
      retryMs: this.#opts.retryMs,
      log: this.#log,
    });
  }

  /** True once Devices and DeviceModels are listed and watched. */
  get synced(): boolean {
    return this.#sync.synced;
  }

  /** Resolves when every reported value received so far is written. */
  idle(): Promise<void> {
    return this.#writer.idle();
  }

  async start(ctx: ModuleContext): Promise<void> {
    this.#bus = ctx.bus;
    if (!this.#watching) {
      this.#watching = true;
      void this.#watch(ctx.signal);
    }
    for await (const msg of ctx.inbox) {
      if (isReply(msg)) continue;
      const req = routeRequest(msg);
      if (req) this.#handle(req);
      else {
        this.stats.unknown++;
        ctx.log.warn("unknown request", { operation: msg.route.operation, resource: msg.route.resource, from: msg.route.source });
        if (msg.header.sync) ctx.bus.respond(errorReplyTo(msg, `devicecontroller does not handle ${msg.route.operation} "${msg.route.resource}"`, Source.deviceController));
      }
    }
  }

  async stop(): Promise<void> {
    await this.#api.stop();
    await this.#writer.idle();
  }

  /** One handler per request kind; a kind without one fails to compile. */
  readonly #handlers: { [K in EdgeRequest["kind"]]: (req: Extract<EdgeRequest, { kind: K }>) => void } = {
    connected: (r) => this.#sync.nodeConnected(r.node),
    disconnected: (r) => this.#sync.nodeDisconnected(r.node),
    detail: (r) => this.#sync.sendDetail(r.node),
    state: (r) => this.#log.debug("device state report", { node: r.node, device: r.device }),
    edgeUpdated: (r) => this.#edgeUpdated(r.node, r.device, r.problem ? undefined : r.twin, r.problem),
  };

  #handle(req: EdgeRequest): void {
    (this.#handlers[req.kind] as (r: EdgeRequest) => void)(req);
  }

  /** The cache's watch callbacks, plus the missing-node check. */
  readonly #deviceHandlers: WatchHandlers<DeviceCR> = {
    add: (d) => {
      this.#sync.deviceHandlers.add(d);
      this.#nodes?.check(d);
    },
    update: (d) => {
      this.#sync.deviceHandlers.update(d);
      this.#nodes?.check(d);
    },
    delete: (d) => {
      this.#sync.deviceHandlers.delete(d);
      this.#nodes?.forget(d);
    },
  };

  /**
   * Lists and watches models, then devices; retries with exponential backoff (capped at `retryMaxMs`) until it works
   * or the bus stops. Each distinct failure is logged once as a warning with what to do; its repeats go to debug, so
   * a cluster without the CRDs gets one clear line, not one per retry.
   */
  async #watch(signal: AbortSignal): Promise<void> {
    const steps = [["devicemodels", () => this.#api.watchModels(this.#sync.modelHandlers)], ["devices", () => this.#api.watchDevices(this.#deviceHandlers)]] as const;
    let warned = "";
    for (const [what, start] of steps) {
      for (let attempt = 0; !signal.aborted; attempt++) {
        try {
          await start();
          break;
        } catch (err) {
          const inMs = backoffDelayMs(attempt, { minMs: this.#opts.retryMs, maxMs: this.#opts.retryMaxMs });
          const line = listFailure(what, err);
          const level = line === warned ? "debug" : "warn";
          warned = line;
          this.#log[level](line, { error: err instanceof Error ? err.message : String(err), retryInMs: inMs });
          await abortableDelay(inMs, signal);
        }
      }
    }
    if (signal.aborted) return;
    this.#sync.markSynced();
    this.#log.info("devices synced", { devices: this.#sync.deviceCount });
  }

  #edgeUpdated(node: string, device: string, twin: Record<string, MsgTwin | null> | undefined, problem?: string): void {
    if (!twin) {
      this.stats.refused++;
      return this.#log.warn("bad twin report from edge refused", { node, device: device.slice(0, 253), error: problem ?? "no twin map" });
    }
    // only a device bound to the reporting node: a node never writes another node's device
    const key = this.#sync.findOnNode(node, device);
    if (!key) {
      this.stats.refused++;
      return this.#log.warn("twin report refused: no such device on this node", { node, device: device.slice(0, 253) });
    }
    this.stats.reports++;
    const slash = key.indexOf("/");
    this.#writer.report(key.slice(0, slash), key.slice(slash + 1), twin);
  }

  #send(msg: Message, kind: SentKind): void {
    const bus = this.#bus;
    if (!bus) return;
    this.stats[kind]++;
    void bus.send(ModuleName.cloudHub, msg).catch((err: unknown) => {
      const level = err instanceof BusError ? "debug" : "warn";
      this.#log[level]("cannot hand message to cloudhub", { resource: msg.route.resource, error: err instanceof Error ? err.message : String(err) });
    });
  }
}

/** The log line for a failed list of `plural`: what is wrong and what the operator does about it. */
function listFailure(plural: string, err: unknown): string {
  const status = err instanceof DeviceApiError ? err.status : 0;
  if (status === 404) return `cannot list ${plural}.devices.kubeedge.io: the resource does not exist; install the CRDs: kubectl apply -f conf/crds/`;
  if (status === 403) return `cannot list ${plural}.devices.kubeedge.io: forbidden; grant cloud_core's account the rules of conf/kubernetes/10-rbac.yaml`;
  return `cannot list ${plural}.devices.kubeedge.io, retrying`;
}

/** Waits `ms`, or less when `signal` aborts. */
function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
