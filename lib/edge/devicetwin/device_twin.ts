/**
 * The DeviceTwin module: devices, their attributes and twins in the store, and KubeEdge's twin protocol on MQTT.
 *
 * @module
 */
import { BusError, type Bus, type Module, type ModuleContext } from "../../core/index.ts";
import { createLogger, type Logger } from "../../log/index.ts";
import { errorReplyTo, Group, ModuleName, newMessage, Source } from "../../model/index.ts";
import type { Store } from "../../store/types.ts";
import { classifyRequest } from "./classify_request.ts";
import { CloudReporter } from "./cloud_reporter.ts";
import { DeviceAliases } from "./device_aliases.ts";
import { DeviceCache } from "./device_cache.ts";
import { createTables } from "./device_dao.ts";
import { type Effects, type Handler, type Handlers, makeHandlers } from "./handlers/index.ts";
import { OrderedPipeline } from "./ordered_pipeline.ts";
import type { DeviceTwinOptions, DeviceTwinStats } from "./types.ts";

const DEFAULTS = { maxInFlight: 256, syncConfirmMs: 5000, maxTwinsPerDevice: 512 };

/**
 * DeviceTwin (module "devicetwin", group "twin").
 *
 * Consumes: from "eventbus", `publish` with an MQTT topic as resource (`$hw/events/device/<id>/twin/update|get|
 * cloud_updated`, `.../state/update`, `$hw/events/node/<node>/membership/get`; also `<ns>/<name>` for `<id>`); from
 * the cloud (group twin) `membership`, `membership/detail`, `device/<id>/twin/cloud_updated`; from "edgehub" the hub
 * events `connected` and `disconnected`.
 *
 * Emits: to "eventbus" `publish` (resource = topic, content = payload) for results, documents, deltas and
 * membership; to "edgehub" `update` on `device/<id>/twin/edge_updated` (DeviceTwinResult) and `device/<id>/state`
 * (DeviceMsg), source "twin", group "twin".
 *
 * @example Register with EventBus on an edge bus
 * ```ts
 * bus.register(new DeviceTwin({ store, nodeName: "edge-1" }));
 * bus.register(new EventBus({ mode: "internal" }));
 * await bus.start();
 * ```
 */
export class DeviceTwin implements Module {
  readonly name = ModuleName.deviceTwin;
  readonly group = Group.twin;
  readonly stats: DeviceTwinStats = { handled: {}, rejected: 0, unknown: 0, synced: 0 };
  readonly #store: Store;
  readonly #opts: typeof DEFAULTS;
  readonly #log: Logger;
  readonly #reporter: CloudReporter;
  readonly #devices = new DeviceCache();
  readonly #handlers: Handlers;
  readonly #observe: DeviceTwinOptions["observe"];

  constructor(options: DeviceTwinOptions) {
    this.#observe = options.observe;
    this.#opts = { ...DEFAULTS, ...withoutUndefined({ maxInFlight: options.maxInFlight, syncConfirmMs: options.syncConfirmMs, maxTwinsPerDevice: options.maxTwinsPerDevice }) };
    this.#store = options.store;
    this.#log = options.log ?? createLogger(ModuleName.deviceTwin);
    this.#reporter = new CloudReporter(options.store, this.#devices, { confirmMs: this.#opts.syncConfirmMs, log: this.#log });
    this.#handlers = makeHandlers({
      store: options.store, nodeName: options.nodeName, log: this.#log, reporter: this.#reporter, aliases: new DeviceAliases(), devices: this.#devices,
      maxTwinsPerDevice: this.#opts.maxTwinsPerDevice,
    });
  }

  /** Creates the device tables and loads the stored devices. */
  async init(): Promise<void> {
    await this.#store.transaction(createTables);
    this.#devices.load(this.#store);
    this.#log.info("devices loaded", { devices: this.#devices.size });
  }

  async start(ctx: ModuleContext): Promise<void> {
    const pipeline = new OrderedPipeline<Effects>(this.#opts.maxInFlight, (fx) => this.#apply(ctx.bus, fx), (err) => {
      ctx.log.error("cannot handle device request", { error: err instanceof Error ? err.message : String(err) });
    });
    this.#reporter.start();
    for await (const msg of ctx.inbox) {
      const req = classifyRequest(msg);
      if (req === "reply") continue;
      if (!req) {
        this.stats.unknown++;
        ctx.log.warn("unknown request", { operation: msg.route.operation, resource: msg.route.resource, from: msg.route.source });
        if (msg.header.sync) ctx.bus.respond(errorReplyTo(msg, `devicetwin does not handle ${msg.route.operation} "${msg.route.resource}"`, Source.twin));
        continue;
      }
      this.stats.handled[req.action] = (this.stats.handled[req.action] ?? 0) + 1;
      const started = performance.now();
      const work = (this.#handlers[req.action] as Handler)(req);
      const observe = this.#observe;
      if (observe) work.then(() => observe(req.action, (performance.now() - started) / 1000), () => {});
      await pipeline.push(work);
    }
    await pipeline.idle();
  }

  async stop(): Promise<void> {
    this.#reporter.stop();
  }

  async #apply(bus: Bus, fx: Effects): Promise<void> {
    if (fx.rejected) this.stats.rejected++;
    for (const [topic, payload] of fx.publish) {
      const msg = newMessage({ source: Source.twin, group: Group.bus, operation: "publish", resource: topic, content: payload });
      try {
        await bus.send(ModuleName.eventBus, msg);
      } catch (err) {
        if (!(err instanceof BusError)) throw err;
        this.#log.debug("cannot publish", { topic, error: err.message });
      }
    }
    for (const r of fx.reports) await this.#reporter.send(bus, r);
    this.stats.synced = this.#reporter.sent;
  }
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
