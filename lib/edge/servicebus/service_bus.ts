/**
 * The ServiceBus module: the cloud asks for an HTTP request to an app on this node; the answer goes back as the
 * reply. Requests run concurrently (bounded); the inbox is never held up by a slow app.
 *
 * @module
 */
import type { Module, ModuleContext } from "../../core/index.ts";
import { createLogger, type Logger } from "../../log/index.ts";
import { errorReplyTo, type Message, ModuleName, parseServiceRequest, replyTo, SERVICE_BUS_GROUP, SERVICE_REQUEST_OPERATION, Source } from "../../model/index.ts";
import { forwardHttp } from "./http_forward.ts";
import type { ServiceBusOptions } from "./types.ts";

const DEFAULTS = { allowedPorts: [] as number[], requestTimeoutMs: 30_000, maxResponseBytes: 16 * 1024 * 1024, maxConcurrent: 32 };

type Handler = (msg: Message, ctx: ModuleContext) => Promise<void>;

/** Calls apps on 127.0.0.1 for the cloud. */
export class ServiceBus implements Module {
  readonly name = ModuleName.serviceBus;
  readonly group = SERVICE_BUS_GROUP;
  /** Requests served, refused (bad, port not allowed, busy) and unknown operations. */
  readonly counters = { served: 0, refused: 0, unknown: 0 };
  readonly #opts: typeof DEFAULTS;
  readonly #log: Logger;
  readonly #handlers: Record<typeof SERVICE_REQUEST_OPERATION, Handler>;
  #active = 0;

  constructor(options: ServiceBusOptions = {}) {
    this.#opts = {
      allowedPorts: options.allowedPorts ?? DEFAULTS.allowedPorts,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
      maxConcurrent: options.maxConcurrent ?? DEFAULTS.maxConcurrent,
    };
    this.#log = options.log ?? createLogger("servicebus");
    this.#handlers = { [SERVICE_REQUEST_OPERATION]: (msg, ctx) => this.#request(msg, ctx) } satisfies Record<typeof SERVICE_REQUEST_OPERATION, Handler>;
  }

  async start(ctx: ModuleContext): Promise<void> {
    for await (const msg of ctx.inbox) {
      const handler = Object.hasOwn(this.#handlers, msg.route.operation) ? this.#handlers[msg.route.operation as typeof SERVICE_REQUEST_OPERATION] : undefined;
      if (!handler) {
        if (msg.route.group === "hub") continue;
        this.counters.unknown++;
        await this.#reply(ctx, errorReplyTo(msg, `Cannot ${msg.route.operation} "${msg.route.resource}": servicebus does not handle operation "${msg.route.operation}"`, Source.serviceBus));
        continue;
      }
      await handler(msg, ctx);
    }
  }

  async #request(msg: Message, ctx: ModuleContext): Promise<void> {
    let req;
    try {
      req = parseServiceRequest(msg.content);
    } catch (err) {
      this.counters.refused++;
      return this.#reply(ctx, errorReplyTo(msg, (err as Error).message, Source.serviceBus));
    }
    const { allowedPorts, maxConcurrent } = this.#opts;
    if (allowedPorts.length && !allowedPorts.includes(req.port)) {
      this.counters.refused++;
      return this.#reply(ctx, errorReplyTo(msg, `Cannot call port ${req.port}: not in servicebus allowedPorts`, Source.serviceBus));
    }
    if (this.#active >= maxConcurrent) {
      this.counters.refused++;
      return this.#reply(ctx, errorReplyTo(msg, `Cannot call port ${req.port}: ${maxConcurrent} requests already running`, Source.serviceBus));
    }
    this.#active++;
    void forwardHttp(req, { timeoutMs: this.#opts.requestTimeoutMs, maxResponseBytes: this.#opts.maxResponseBytes })
      .then((res) => {
        this.counters.served++;
        this.#log.debug("request served", { method: req.method, port: req.port, path: req.path, status: res.status });
        return this.#reply(ctx, replyTo(msg, res, Source.serviceBus));
      })
      .catch((err) => this.#log.warn("cannot answer request", { port: req.port, error: err }))
      .finally(() => this.#active--);
  }

  #reply(ctx: ModuleContext, reply: Message): Promise<void> {
    return ctx.bus.send(ModuleName.edgeHub, reply);
  }
}
