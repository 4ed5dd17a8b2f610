/**
 * The EdgeHub module: the edge end of the link. See the face (`index.ts`) for what it consumes and emits.
 *
 * @module
 */
import type { Module, ModuleContext } from "../../core/index.ts";
import { createLogger, type Logger } from "../../log/index.ts";
import { ModuleName } from "../../model/index.ts";
import type { HubContext } from "./_context.ts";
import { runConnector } from "./connector.ts";
import { readLinkTls } from "./link_tls.ts";
import { OfflineOutbox } from "./offline_outbox.ts";
import type { EdgeHubCounters, EdgeHubOptions, LinkState } from "./types.ts";
import { Upstream } from "./upstream.ts";

const DEFAULTS = {
  heartbeatMs: 15_000,
  reconnectMinMs: 1000,
  reconnectMaxMs: 30_000,
  connectTimeoutMs: 30_000,
  maxFrameBytes: 32 * 1024 * 1024,
  maxOfflineMessages: 10_000,
};

/** The edge end of the link. Register it last, so it starts after the modules it delivers to. */
export class EdgeHub implements Module {
  readonly name = ModuleName.edgeHub;
  readonly group = "hub";
  readonly counters: EdgeHubCounters = { in: 0, out: 0, resent: 0, kept: 0, dropped: 0, badFrames: 0, connects: 0 };
  readonly #options: EdgeHubOptions;
  readonly #log: Logger;
  readonly #outbox: OfflineOutbox;
  #ctx: HubContext | undefined;

  constructor(options: EdgeHubOptions) {
    this.#options = options;
    this.#log = options.log ?? createLogger("edgehub");
    this.#outbox = new OfflineOutbox(options.store, options.maxOfflineMessages ?? DEFAULTS.maxOfflineMessages);
  }

  /** The link state now. */
  get state(): LinkState {
    return this.#ctx?.state ?? "idle";
  }

  /** Reports waiting for the cloud. */
  get keptReports(): number {
    return this.#outbox.size;
  }

  /** Checks the node certificate (failing start with a hint when it is missing) and loads kept reports. */
  async init(): Promise<void> {
    await readLinkTls(this.#options.tls, this.#options.nodeName);
    await this.#outbox.open();
  }

  async start(ctx: ModuleContext): Promise<void> {
    const o = this.#options;
    const hub: HubContext = (this.#ctx = {
      name: this.name,
      opts: {
        nodeName: o.nodeName,
        server: o.server,
        projectId: o.projectId,
        tls: o.tls,
        heartbeatMs: o.heartbeatMs ?? DEFAULTS.heartbeatMs,
        reconnectMinMs: o.reconnectMinMs ?? DEFAULTS.reconnectMinMs,
        reconnectMaxMs: o.reconnectMaxMs ?? DEFAULTS.reconnectMaxMs,
        connectTimeoutMs: o.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
        maxFrameBytes: o.maxFrameBytes ?? DEFAULTS.maxFrameBytes,
      },
      log: this.#log,
      bus: ctx.bus,
      counters: this.counters,
      outbox: this.#outbox,
      link: undefined,
      reportsFlowing: false,
      state: "idle",
    });
    const upstream = new Upstream(hub);
    const connector = runConnector(hub, upstream, ctx.signal);
    try {
      for await (const msg of ctx.inbox) await upstream.handle(msg);
    } finally {
      hub.link?.close(1001, "edge_core stopping");
      await connector;
    }
  }
}
