/**
 * The MetaManager module shell: classifies each message (cloud, local or hub event, and operation), runs its
 * handler, answers unknown operations with an error, and runs the periodic pod status sync.
 *
 * @module
 */
import type { Module, ModuleContext } from "../../core/index.ts";
import { createLogger, type Logger } from "../../log/index.ts";
import { errorReplyTo, Group, type Message, ModuleName, Source } from "../../model/index.ts";
import { type Handler, type HandlerDeps, makeHandlers, toCloud } from "./handlers/index.ts";
import { MetaTable } from "./meta_table.ts";
import { syncPodStatuses } from "./pod_status_sync.ts";
import type { MetaManagerCounters, MetaManagerOptions } from "./types.ts";

const DEFAULTS = { remoteQueryTimeoutMs: 60_000, podStatusSyncIntervalMs: 60_000, maxInFlight: 32 };

/** Route sources of edge modules (their wire names); anything else reached us from the cloud. */
const EDGE_SOURCES = new Set<string>([Source.edged, Source.metaManager, Source.edgeHub, Source.twin, Source.eventBus, Source.serviceBus]);

/** The edge's metadata store and its link to the cloud's view. */
export class MetaManager implements Module {
  readonly name = ModuleName.metaManager;
  readonly group = Group.meta;
  readonly counters: MetaManagerCounters = {
    stored: 0, duplicates: 0, stale: 0, deleted: 0, acked: 0, forwarded: 0, queries: 0, remoteQueries: 0, reports: 0, unknown: 0, failed: 0,
  };
  readonly #opts: typeof DEFAULTS;
  readonly #table: MetaTable;
  readonly #log: Logger;
  readonly #link = { connected: false };

  constructor(options: MetaManagerOptions) {
    this.#opts = {
      remoteQueryTimeoutMs: options.remoteQueryTimeoutMs ?? DEFAULTS.remoteQueryTimeoutMs,
      podStatusSyncIntervalMs: options.podStatusSyncIntervalMs ?? DEFAULTS.podStatusSyncIntervalMs,
      maxInFlight: options.maxInFlight ?? DEFAULTS.maxInFlight,
    };
    this.#table = new MetaTable(options.store);
    this.#log = options.log ?? createLogger("metamanager");
  }

  /** Creates the `meta` table. */
  async init(): Promise<void> {
    await this.#table.open();
  }

  async start(ctx: ModuleContext): Promise<void> {
    const deps: HandlerDeps = {
      table: this.#table, bus: ctx.bus, log: this.#log, counters: this.counters, link: this.#link, remoteQueryTimeoutMs: this.#opts.remoteQueryTimeoutMs,
    };
    const handlers: Record<string, Handler> = makeHandlers(deps);
    const local = new Set([...EDGE_SOURCES, ...ctx.bus.moduleNames]);
    const timer = setInterval(() => {
      syncPodStatuses(deps).catch((err) => this.#log.warn("pod status sync failed", { error: err }));
    }, this.#opts.podStatusSyncIntervalMs);
    timer.unref();
    const inflight = new Set<Promise<void>>();
    try {
      for await (const msg of ctx.inbox) {
        const origin = msg.route.group === Group.hub ? "hub" : local.has(msg.route.source) ? "local" : "cloud";
        const p: Promise<void> = this.#dispatch(deps, handlers[`${origin}:${msg.route.operation}`], msg, origin === "cloud").finally(() => inflight.delete(p));
        inflight.add(p);
        if (inflight.size >= this.#opts.maxInFlight) await Promise.race(inflight);
      }
    } finally {
      clearInterval(timer);
      await Promise.all(inflight);
    }
  }

  async #dispatch(d: HandlerDeps, handler: Handler | undefined, msg: Message, fromCloud: boolean): Promise<void> {
    const { operation, resource } = msg.route;
    try {
      if (!handler) {
        this.counters.unknown++;
        this.#log.warn("unknown operation", { operation, resource, source: msg.route.source });
        await this.#fail(d, msg, fromCloud, `Cannot ${operation} "${resource}": metamanager does not handle operation "${operation}"`);
        return;
      }
      await handler(msg);
    } catch (err) {
      this.counters.failed++;
      this.#log.warn("message failed", { operation, resource, error: err });
      // A malformed message is answered (so a sender stops waiting, and the cloud stops resending); a store failure
      // is not ACKed, so the cloud sends the message again.
      if (err instanceof TypeError) await this.#fail(d, msg, fromCloud, (err as Error).message).catch(() => {});
    }
  }

  async #fail(d: HandlerDeps, msg: Message, fromCloud: boolean, reason: string): Promise<void> {
    const reply = errorReplyTo(msg, reason, Source.metaManager);
    if (fromCloud) await toCloud(d, reply);
    else d.bus.respond(reply);
  }
}
