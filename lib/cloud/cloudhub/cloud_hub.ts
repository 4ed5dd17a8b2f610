/**
 * The CloudHub module shell: builds the listener, delivery and router, runs the sweep timer and the inbox loop. See
 * the face (`index.ts`) for what it consumes and emits.
 *
 * @module
 */
import type { Module, ModuleContext } from "../../core/index.ts";
import { createLogger, type Logger } from "../../log/index.ts";
import { Group, type Message, ModuleName } from "../../model/index.ts";
import { Delivery } from "./delivery.ts";
import { HubServer } from "./hub_server.ts";
import { CounterSet } from "./link_counters.ts";
import { Router } from "./router.ts";
import type { CloudHubOptions, HubStats, NodeStats } from "./types.ts";

const DEFAULTS = {
  nodeLimit: 500,
  keepaliveTimeoutMs: 30_000,
  maxFrameBytes: 32 * 1024 * 1024,
  maxInflightBytes: 256 * 1024 * 1024,
  maxInflightBytesPerLink: 64 * 1024 * 1024,
  ackTimeoutMs: 10_000,
  maxPendingPerNode: 4096,
  maxPendingBytesPerNode: 64 * 1024 * 1024,
  highWaterBytes: 8 * 1024 * 1024,
  sweepIntervalMs: 1000,
  listenBacklog: 4096,
  maxPendingHandshakes: 1024,
  maxPendingPerAddress: 64,
  preHandshakeIdleMs: 3000,
  handshakeTimeoutMs: 10_000,
};

/** The cloud end of the links. Register it on the cloud bus; read `address`, `stats()` and `connectedNodes()`. */
export class CloudHub implements Module {
  readonly name = ModuleName.cloudHub;
  readonly group = ModuleName.cloudHub;
  readonly #opts: typeof DEFAULTS;
  readonly #log: Logger;
  readonly #server: HubServer;
  readonly #counters = new CounterSet();
  readonly #delivery: Delivery;
  readonly #router: Router;
  #address: { host: string; port: number } | undefined;

  constructor(options: CloudHubOptions) {
    const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    const o = (this.#opts = { ...DEFAULTS, ...defined });
    this.#log = options.log ?? createLogger("cloudhub");
    this.#delivery = new Delivery(
      { ackTimeoutMs: o.ackTimeoutMs, highWaterBytes: o.highWaterBytes, limits: { messages: o.maxPendingPerNode, bytes: o.maxPendingBytesPerNode } },
      this.#counters,
      this.#log,
    );
    let router!: Router;
    this.#server = new HubServer({ ...o, address: options.address, tls: options.tls, httpHandler: options.httpHandler, isRevoked: options.isRevoked }, {
      opened: (s) => router.opened(s),
      message: (s, m) => router.message(s, m),
      badFrame: (s, reason) => router.badFrame(s, reason),
      closed: (s, code, reason) => router.closed(s, code, reason),
      refusedUpgrade: (remote, r) => router.refusedUpgrade(remote, r),
    }, this.#log);
    router = this.#router = new Router(this.#server, this.#delivery, this.#counters, this.#log);
  }

  /** Where the server listens (after `init`). */
  get address(): { host: string; port: number } {
    if (!this.#address) throw new TypeError("Cannot read cloudhub address: not listening yet");
    return this.#address;
  }

  /** Binds the port, so a port in use fails the process start. */
  async init(): Promise<void> {
    this.#address = await this.#server.listen();
    this.#log.info("listening", { address: `${this.#address.host}:${this.#address.port}`, nodeLimit: this.#opts.nodeLimit });
  }

  async start(ctx: ModuleContext): Promise<void> {
    this.#router.bind(ctx.bus);
    this.#server.ready = true;
    const timer = setInterval(() => {
      const now = Date.now();
      this.#server.sweepKeepalive(now);
      this.#server.admission.sweep(now);
      this.#delivery.sweep(now, (node) => this.#server.session(node));
    }, this.#opts.sweepIntervalMs);
    timer.unref();
    try {
      for await (const msg of ctx.inbox) {
        if (msg.route.group === Group.revocation) this.#revoked(msg);
        else this.#router.toEdge(msg);
      }
    } finally {
      clearInterval(timer);
    }
  }

  async stop(): Promise<void> {
    await this.#server.close();
    this.#log.info("stopped", { ...this.#counters.totals });
  }

  /**
   * Serves a renewed server certificate to new links without a restart; links already up keep theirs.
   *
   * @returns false when the runtime cannot swap it live
   */
  setServingCertificate(pair: { cert: string; key: string }): boolean {
    return this.#server.setCertificate(pair);
  }

  /** A node's revocation changed: its link closes now if its certificate is refused. */
  #revoked(msg: Message): void {
    const node = msg.route.resource.replace(/^node\//, "");
    if (this.#server.enforceRevocation(node)) this.#log.warn("node revoked, link closed", { node });
  }

  /** Names of the nodes linked now. */
  connectedNodes(): string[] {
    return this.#server.nodes();
  }

  /** Totals over all nodes. */
  stats(): HubStats {
    return {
      connected: this.#server.connectedCount(),
      pending: this.#delivery.pending(),
      refused: this.#router.refused,
      shed: this.#server.admission.shed,
      strangers: this.#server.admission.size,
      idleStrangers: this.#server.admission.idle,
      totals: { ...this.#counters.totals },
      frameBudget: this.#server.budget.stats(),
    };
  }

  /** Counters and state of one node. */
  nodeStats(node: string): NodeStats {
    return { ...this.#counters.get(node), connected: this.#server.isConnected(node), pending: this.#delivery.pending(node) };
  }
}
