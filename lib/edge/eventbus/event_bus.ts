/**
 * The EventBus module: the MQTT side of the edge. Device messages on DeviceTwin topics go to module "devicetwin",
 * other subscribed topics go to the cloud; publish requests from DeviceTwin and the cloud go out to the broker(s).
 *
 * @module
 */
import { BusError, type Bus, type Module, type ModuleContext } from "../../core/index.ts";
import { createLogger, type Logger } from "../../log/index.ts";
import { errorReplyTo, Group, ModuleName, newMessage, Op, Source } from "../../model/index.ts";
import { deviceMayPublish } from "../devicetwin/index.ts";
import { ExternalBroker } from "./external_broker.ts";
import { type HandledOp, type Handler, makeHandlers } from "./handlers.ts";
import { InternalBroker } from "./internal_broker.ts";
import { isDeviceTwinTopic, SUBSCRIBE_TOPICS } from "./topics.ts";
import type { BrokerLink, EventBusMode, EventBusOptions, EventBusStats } from "./types.ts";

const DEFAULTS = {
  mode: "internal" as EventBusMode,
  internal: { host: "127.0.0.1", port: 1884 } as NonNullable<EventBusOptions["internal"]>,
  external: { url: "tcp://127.0.0.1:1883" } as { url: string; username?: string; password?: string },
  internalQos: 0 as 0 | 1,
  externalQos: 1 as 0 | 1,
  maxInFlight: 512,
  reconnectMs: 1000,
};

/**
 * EventBus (module "eventbus", group "bus").
 *
 * Consumes: `publish` (resource = topic, content = payload) from DeviceTwin and the cloud; any other message of group
 * `user` is published the same way; `subscribe` (resource = topic) from the cloud. Hub link events are ignored.
 *
 * Emits: to "devicetwin" `{group: twin, operation: publish, resource: topic, content: payload}` for topics under
 * `$hw/events/device` and `$hw/events/node`; to "edgehub" `{group: user, operation: upload, resource: topic,
 * content: payload}` for the other subscribed topics.
 *
 * @example Internal broker on a free port
 * ```ts
 * const eventBus = new EventBus({ mode: "internal", internal: { host: "127.0.0.1", port: 0 } });
 * bus.register(eventBus);
 * await bus.start();
 * console.log(eventBus.internalPort);
 * ```
 */
export class EventBus implements Module {
  readonly name = ModuleName.eventBus;
  readonly group = Group.bus;
  readonly stats: EventBusStats = { received: 0, toTwin: 0, toCloud: 0, published: 0, dropped: 0 };
  readonly #opts: typeof DEFAULTS;
  readonly #log: Logger;
  readonly #handlers: Record<HandledOp, Handler>;
  #links: BrokerLink[] = [];
  #internal: InternalBroker | undefined;
  #bus: Bus | undefined;
  #inFlight = 0;
  #slotWaiters: (() => void)[] = [];
  readonly #warned = new Set<string>();

  constructor(options: EventBusOptions = {}) {
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.#opts = { ...DEFAULTS, ...given } as typeof DEFAULTS;
    this.#log = options.log ?? createLogger(ModuleName.eventBus);
    this.#handlers = makeHandlers({ publish: (t, p) => this.#publish(t, p), subscribe: (t) => this.#subscribe(t) });
  }

  /** Port of the internal broker (useful with port 0), or undefined in external mode. */
  /** MQTT clients connected to the internal broker now (0 without one). */
  get internalClients(): number {
    return this.#internal?.clients ?? 0;
  }

  get internalPort(): number | undefined {
    return this.#internal?.port;
  }

  async init(): Promise<void> {
    const { mode, reconnectMs } = this.#opts;
    if (mode !== "external") {
      this.#internal = await InternalBroker.listen({ ...this.#opts.internal, qos: this.#opts.internalQos, log: this.#log.child("internal") });
      this.#links.push(this.#internal);
    }
    if (mode !== "internal") {
      this.#links.push(new ExternalBroker({ ...this.#opts.external, qos: this.#opts.externalQos, reconnectMs, log: this.#log.child("external") }));
    }
  }

  async start(ctx: ModuleContext): Promise<void> {
    if (!this.#bus) {
      this.#bus = ctx.bus;
      await Promise.all(this.#links.map((l) => l.subscribe(SUBSCRIBE_TOPICS, (t, p) => this.#onMqtt(t, p))));
    }
    for await (const msg of ctx.inbox) {
      // EdgeHub's link events reach every module; the MQTT side works the same online and offline.
      if (msg.route.group === Group.hub) continue;
      // A cloud message of group `user` is always for a topic, whatever operation the sender named.
      const op = msg.route.group === Group.user && msg.route.operation !== "subscribe" ? "publish" : msg.route.operation;
      const handler = this.#handlers[op as HandledOp] as Handler | undefined;
      if (handler) {
        await handler(msg);
        continue;
      }
      this.stats.dropped++;
      ctx.log.warn("unknown operation", { operation: msg.route.operation, resource: msg.route.resource, from: msg.route.source });
      if (msg.header.sync) ctx.bus.respond(errorReplyTo(msg, `eventbus does not handle operation "${msg.route.operation}"`, Source.eventBus));
    }
  }

  async stop(): Promise<void> {
    const links = this.#links;
    this.#links = [];
    this.#internal = undefined;
    await Promise.all(links.map((l) => l.close()));
  }

  async #onMqtt(topic: string, payload: Uint8Array): Promise<void> {
    const bus = this.#bus;
    if (!bus) return;
    this.stats.received++;
    // the internal broker refuses these from clients already; this covers the external broker, which we do not police
    if (!deviceMayPublish(topic)) {
      // also our own answers when the cloud subscribed to a wide pattern: warn once, then debug
      this.stats.dropped++;
      const level = this.#warned.has("edge-only") ? "debug" : "warn";
      this.#warned.add("edge-only");
      this.#log[level]("MQTT message dropped: topic is published only by edge_core", { topic: topic.slice(0, 200) });
      return;
    }
    const toTwin = isDeviceTwinTopic(topic);
    const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("utf8");
    const msg = toTwin
      ? newMessage({ source: Source.eventBus, group: Group.twin, operation: "publish", resource: topic, content: text })
      : newMessage({ source: Source.eventBus, group: Group.user, operation: Op.upload, resource: topic, content: text });
    const to = toTwin ? ModuleName.deviceTwin : ModuleName.edgeHub;
    try {
      await bus.send(to, msg);
      if (toTwin) this.stats.toTwin++;
      else this.stats.toCloud++;
    } catch (err) {
      if (!(err instanceof BusError)) throw err;
      this.stats.dropped++;
      // once per target at warn level: a missing module would otherwise log every device message
      const level = this.#warned.has(to) ? "debug" : "warn";
      this.#warned.add(to);
      this.#log[level]("cannot pass MQTT message on", { topic, to, error: err.message });
    }
  }

  async #subscribe(topic: string): Promise<void> {
    await Promise.all(this.#links.map((l) => l.subscribe([topic], (t, p) => this.#onMqtt(t, p))));
    this.#log.info("subscribed for the cloud", { topic });
  }

  /** Publishes to every link without waiting for the broker, holding at most `maxInFlight` unfinished publishes. */
  async #publish(topic: string, payload: string | Uint8Array): Promise<void> {
    while (this.#inFlight >= this.#opts.maxInFlight) await new Promise<void>((r) => this.#slotWaiters.push(r));
    for (const link of this.#links) {
      this.#inFlight++;
      void link.publish(topic, payload).then((ok) => {
        if (ok) this.stats.published++;
        else this.stats.dropped++;
      }, () => this.stats.dropped++).finally(() => {
        this.#inFlight--;
        this.#slotWaiters.shift()?.();
      });
    }
  }
}
