/**
 * The module bus: delivery to a module or a group, request/response with a timeout, bounded inboxes with
 * backpressure, restart with backoff for a module that throws, and shutdown in reverse start order.
 *
 * @module
 */
import { createLogger, type Logger } from "../log/index.ts";
import type { Message } from "../model/index.ts";
import { BoundedQueue } from "./bounded_queue.ts";
import { BusError } from "./bus_error.ts";
import type { Module } from "./module.ts";

/** Bus tuning. */
export type BusOptions = {
  log?: Logger;
  /** Messages an inbox holds before senders wait. @default 1024 */
  queueLimit?: number;
  /** First restart delay after a module throws; doubles up to `restartMaxMs`. @default 100 */
  restartMinMs?: number;
  /** @default 30000 */
  restartMaxMs?: number;
  /** How long `stop` waits for each module before moving on. @default 3000 */
  stopTimeoutMs?: number;
};

/** Options of one sync request. */
export type SyncOptions = {
  /** @default 60000 (KubeEdge's remote query timeout) */
  timeoutMs?: number;
  signal?: AbortSignal;
};

const DEFAULTS = { queueLimit: 1024, restartMinMs: 100, restartMaxMs: 30_000, stopTimeoutMs: 3000 };

type Entry = {
  module: Module;
  inbox: BoundedQueue<Message>;
  running?: Promise<void>;
  restarts: number;
};

/** Counters a caller can read for observability. */
export type BusStats = { sent: number; syncTimeouts: number; restarts: Record<string, number> };

/**
 * Connects modules. Register them, `start()`, and they exchange messages; `stop()` ends them in reverse order.
 *
 * @example Two modules and a sync request
 * ```ts
 * const bus = new Bus();
 * bus.register(echo); // a module that answers with bus.respond(replyTo(msg, msg.content))
 * await bus.start();
 * const reply = await bus.sendSync("echo", newMessage({ source: "t", group: "g", operation: "query", resource: "x", content: 1 }));
 * await bus.stop();
 * ```
 */
export class Bus {
  readonly #opts: typeof DEFAULTS;
  readonly #log: Logger;
  readonly #modules = new Map<string, Entry>();
  readonly #order: Entry[] = [];
  readonly #waiters = new Map<string, (m: Message) => void>();
  readonly #abort = new AbortController();
  #state: "new" | "running" | "stopping" | "stopped" = "new";
  readonly stats: BusStats = { sent: 0, syncTimeouts: 0, restarts: {} };

  constructor(options: BusOptions = {}) {
    this.#opts = { ...DEFAULTS, ...options };
    this.#log = options.log ?? createLogger("core");
  }

  /** Adds a module. Names are unique. @throws TypeError on a duplicate name or after start */
  register(module: Module, options: { queueLimit?: number } = {}): void {
    if (this.#state !== "new") throw new TypeError(`Cannot register module "${module.name}": bus already started`);
    if (this.#modules.has(module.name)) throw new TypeError(`Cannot register module "${module.name}": name is taken`);
    const entry: Entry = { module, inbox: new BoundedQueue(options.queueLimit ?? this.#opts.queueLimit), restarts: 0 };
    this.#modules.set(module.name, entry);
    this.#order.push(entry);
  }

  /** Names of registered modules in start order. */
  get moduleNames(): string[] {
    return this.#order.map((e) => e.module.name);
  }

  /** Messages waiting in a module's inbox (undefined for an unknown module). */
  queued(name: string): number | undefined {
    return this.#modules.get(name)?.inbox.size;
  }

  /**
   * Initialises every module in registration order, then starts them all.
   *
   * @throws the first `init` failure, after stopping what was initialised
   */
  async start(): Promise<void> {
    if (this.#state !== "new") throw new TypeError("Cannot start bus: already started");
    this.#state = "running";
    for (const [i, e] of this.#order.entries()) {
      try {
        await e.module.init?.();
      } catch (err) {
        for (const done of this.#order.slice(0, i).reverse()) await done.module.stop?.().catch(() => {});
        this.#state = "stopped";
        throw new Error(`Cannot start module "${e.module.name}": ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
    }
    for (const e of this.#order) e.running = this.#supervise(e);
  }

  async #supervise(e: Entry): Promise<void> {
    const signal = this.#abort.signal;
    const log = this.#log.child(e.module.name);
    let delay = this.#opts.restartMinMs;
    while (!signal.aborted) {
      const began = Date.now();
      try {
        await e.module.start({ bus: this, log, signal, inbox: e.inbox });
        return;
      } catch (err) {
        if (signal.aborted) return;
        e.restarts++;
        this.stats.restarts[e.module.name] = e.restarts;
        if (Date.now() - began > 60_000) delay = this.#opts.restartMinMs;
        log.error("module failed, restarting", { error: err instanceof Error ? err.message : String(err), inMs: delay, restarts: e.restarts });
        await sleep(delay, signal);
        delay = Math.min(delay * 2, this.#opts.restartMaxMs);
      }
    }
  }

  #entry(name: string): Entry {
    const e = this.#modules.get(name);
    if (!e) throw new BusError("BUS_NO_MODULE", `Cannot send message: no module named "${name}"`);
    return e;
  }

  /**
   * Delivers to one module, waiting while its inbox is full.
   *
   * @throws BusError `BUS_NO_MODULE`, `BUS_CLOSED`
   */
  async send(to: string, msg: Message, signal?: AbortSignal): Promise<void> {
    if (this.#state === "stopped") throw new BusError("BUS_CLOSED", `Cannot send message to "${to}": bus is stopped`);
    await this.#entry(to).inbox.push(msg, signal);
    this.stats.sent++;
  }

  /** Delivers without waiting. @returns false when the inbox is full */
  trySend(to: string, msg: Message): boolean {
    const ok = this.#entry(to).inbox.tryPush(msg);
    if (ok) this.stats.sent++;
    return ok;
  }

  /**
   * Delivers to every module of a group (each gets the same message object; treat it as read-only).
   *
   * @throws BusError `BUS_NO_MODULE` when the group has no module
   */
  async sendToGroup(group: string, msg: Message, signal?: AbortSignal): Promise<void> {
    const targets = this.#order.filter((e) => e.module.group === group);
    if (!targets.length) throw new BusError("BUS_NO_MODULE", `Cannot send message: no module in group "${group}"`);
    await Promise.all(targets.map((e) => e.inbox.push(msg, signal)));
    this.stats.sent += targets.length;
  }

  /**
   * Sends a request and resolves with the reply whose `parent_msg_id` is the request's id.
   *
   * @throws BusError `BUS_TIMEOUT` when no reply comes within `timeoutMs`
   */
  async sendSync(to: string, msg: Message, options: SyncOptions = {}): Promise<Message> {
    msg.header.sync = true;
    const reply = this.waitForReply(msg, options);
    await this.send(to, msg, options.signal);
    return reply;
  }

  /**
   * Waits for the reply to `msg` without sending it: for a caller that sends by another path (EdgeHub over the link).
   *
   * @throws BusError `BUS_TIMEOUT`
   */
  waitForReply(msg: Message, options: SyncOptions = {}): Promise<Message> {
    const id = msg.header.msg_id;
    const timeoutMs = options.timeoutMs ?? 60_000;
    return new Promise<Message>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(id);
      };
      const timer = setTimeout(() => {
        done();
        this.stats.syncTimeouts++;
        reject(new BusError("BUS_TIMEOUT", `No reply to message ${id} (${msg.route.operation} ${msg.route.resource}) within ${timeoutMs} ms`));
      }, timeoutMs);
      options.signal?.addEventListener("abort", () => {
        done();
        reject(options.signal!.reason);
      }, { once: true });
      this.#waiters.set(id, (m) => {
        done();
        resolve(m);
      });
    });
  }

  /** Hands a reply to the `sendSync` waiting for it. @returns false when nobody waits (late or unsolicited reply) */
  respond(reply: Message): boolean {
    const waiter = this.#waiters.get(reply.header.parent_msg_id);
    if (!waiter) return false;
    waiter(reply);
    return true;
  }

  /** Stops modules in reverse registration order; each gets `stopTimeoutMs` to return. */
  async stop(): Promise<void> {
    if (this.#state === "stopped" || this.#state === "stopping") return;
    this.#state = "stopping";
    this.#abort.abort(new BusError("BUS_CLOSED", "bus is stopping"));
    for (const e of [...this.#order].reverse()) {
      e.inbox.close();
      if (e.running) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<"late">((r) => (timer = setTimeout(() => r("late"), this.#opts.stopTimeoutMs)));
        if ((await Promise.race([e.running, late])) === "late") this.#log.warn("module did not stop in time", { module: e.module.name });
        clearTimeout(timer);
      }
      try {
        await e.module.stop?.();
      } catch (err) {
        this.#log.error("module stop failed", { module: e.module.name, error: String(err) });
      }
    }
    this.#state = "stopped";
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}
