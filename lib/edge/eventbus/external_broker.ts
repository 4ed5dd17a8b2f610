/**
 * The link to an external broker such as mosquitto: one mqtt.js client that reconnects after the broker restarts
 * and subscribes again on every new session.
 *
 * @module
 */
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import type { Logger } from "../../log/index.ts";
import type { BrokerLink, MqttHandler } from "./types.ts";

/** Options of {@link ExternalBroker}. */
export type ExternalBrokerOptions = {
  /** `tcp://host:port` (also `mqtt://`; `ssl://`, `tls://`, `mqtts://` for TLS). */
  url: string;
  username?: string;
  password?: string;
  qos: 0 | 1;
  reconnectMs: number;
  log: Logger;
};

type LinkState = "connecting" | "connected" | "disconnected";

const DEFAULT_PORT: Record<"mqtt" | "mqtts", number> = { mqtt: 1883, mqtts: 8883 };
const SCHEMES: Record<string, "mqtt" | "mqtts"> = { tcp: "mqtt", mqtt: "mqtt", ssl: "mqtts", tls: "mqtts", mqtts: "mqtts" };

/**
 * Splits a broker URL into the parts mqtt.js takes (an object, not a URL string: Bun warns about url.parse).
 *
 * @throws TypeError when the scheme is not tcp, mqtt, ssl, tls or mqtts, or the port is not a number
 */
export function parseBrokerUrl(url: string): { protocol: "mqtt" | "mqtts"; host: string; port: number } {
  const m = /^([a-z]+):\/\/(\[[^\]]+\]|[^:/]+)(?::(\d{1,5}))?\/?$/.exec(url.trim());
  const protocol = m ? SCHEMES[m[1]] : undefined;
  if (!m || !protocol) throw new TypeError(`Cannot parse broker URL "${url}": expected tcp://host:port`);
  return { protocol, host: m[2].replace(/^\[|\]$/g, ""), port: m[3] ? Number(m[3]) : DEFAULT_PORT[protocol] };
}

/**
 * An external broker reached through mqtt.js, used as a {@link BrokerLink}. Like KubeEdge's hub client it holds two
 * connections, one subscribing and one publishing. One connection would deadlock under load: mqtt.js reads the next
 * packet only after a device message is handed on, so while the bus is full the broker's PUBACKs for our own
 * publishes would wait behind it, and the publishes that would free the bus could never complete.
 */
export class ExternalBroker implements BrokerLink {
  readonly kind = "external" as const;
  readonly #sub: MqttClient;
  readonly #pub: MqttClient;
  readonly #qos: 0 | 1;
  readonly #log: Logger;
  readonly #topics: string[] = [];
  #onMessage: MqttHandler | undefined;
  #state: LinkState = "connecting";
  #closing = false;

  /** Starts connecting in the background; an unreachable broker is retried every `reconnectMs`. */
  constructor(options: ExternalBrokerOptions) {
    this.#qos = options.qos;
    this.#log = options.log;
    const target = parseBrokerUrl(options.url);
    const broker = `${target.host}:${target.port}`;
    const id = `kubeedge-ts-eventbus-${crypto.randomUUID().slice(0, 8)}`;
    const connect = (role: "sub" | "pub"): MqttClient => {
      const client = mqtt.connect({
        ...target,
        clientId: `${id}-${role}`,
        clean: true,
        // We subscribe on every connect ourselves: a restarted broker has forgotten the session.
        resubscribe: false,
        reconnectPeriod: options.reconnectMs,
        connectTimeout: 10_000,
        queueQoSZero: false,
        username: options.username,
        password: options.password,
      } satisfies IClientOptions);
      client.on("connect", () => {
        // Small MQTT packets must not wait for Nagle's algorithm and the broker's delayed ACK.
        (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
        this.#linkChanged(broker);
      });
      client.on("close", () => this.#linkChanged(broker));
      client.on("error", (err) => this.#log.debug("external broker error", { role, error: err.message }));
      return client;
    };
    this.#sub = connect("sub");
    this.#pub = connect("pub");
    // mqtt.js takes the next message only after `done`: a full bus slows the broker's delivery to us.
    this.#sub.handleMessage = (packet, done) => {
      const handler = this.#onMessage;
      if (!handler) return done();
      void handler(packet.topic, packet.payload as Uint8Array).then(() => done(), (err: unknown) => {
        this.#log.warn("cannot hand MQTT message on", { topic: packet.topic, error: String(err) });
        done();
      });
    };
    this.#sub.on("connect", () => this.#subscribeAll());
  }

  /** True while both connections are up. */
  get connected(): boolean {
    return this.#sub.connected && this.#pub.connected;
  }

  #linkChanged(broker: string): void {
    if (this.#closing) return;
    const state: LinkState = this.connected ? "connected" : this.#state === "connecting" ? "connecting" : "disconnected";
    if (state === this.#state) return;
    this.#state = state;
    if (state === "connected") this.#log.info("external broker connected", { broker });
    else this.#log.warn("external broker disconnected, reconnecting", { broker });
  }

  #subscribeAll(): void {
    if (!this.#topics.length || !this.#sub.connected) return;
    this.#sub.subscribe(this.#topics, { qos: 1 }, (err) => {
      if (err) this.#log.warn("cannot subscribe on external broker", { error: err.message });
    });
  }

  subscribe(topics: readonly string[], onMessage: MqttHandler): Promise<void> {
    this.#onMessage = onMessage;
    const fresh = topics.filter((t) => !this.#topics.includes(t));
    this.#topics.push(...fresh);
    if (!fresh.length || !this.#sub.connected) return Promise.resolve();
    return new Promise((resolve) => {
      this.#sub.subscribe(fresh, { qos: 1 }, (err) => {
        if (err) this.#log.warn("cannot subscribe on external broker", { error: err.message });
        resolve();
      });
    });
  }

  publish(topic: string, payload: string | Uint8Array): Promise<boolean> {
    // Offline, mqtt.js would queue without bound; devices on that broker cannot get the message now anyway.
    if (!this.#pub.connected) return Promise.resolve(false);
    const body = typeof payload === "string" ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    return new Promise((resolve) => {
      this.#pub.publish(topic, body, { qos: this.#qos }, (err) => {
        if (err) this.#log.debug("cannot publish on external broker", { topic, error: err.message });
        resolve(!err);
      });
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all([this.#sub, this.#pub].map((c) => new Promise<void>((resolve) => c.end(true, {}, () => resolve()))));
  }
}
