/**
 * The internal MQTT broker: aedes on a TCP listener (default 127.0.0.1:1884). EventBus subscribes and publishes
 * in-process, without a loopback client, so a device message costs one socket hop instead of two.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { Aedes, type AedesPublishPacket } from "aedes";
import type { Logger } from "../../log/index.ts";
import { type BrokerCredentials, brokerPolicy } from "./broker_policy.ts";
import type { BrokerLink, InternalBrokerTls, MqttHandler } from "./types.ts";

/** Options of {@link InternalBroker.listen}. */
export type InternalBrokerOptions = {
  host: string;
  /** 0 picks a free port (see {@link InternalBroker.port}). */
  port: number;
  qos: 0 | 1;
  /** User name and password clients must give; undefined lets any local process connect. */
  auth?: BrokerCredentials;
  /** Serve MQTT over TLS (PEM paths); with `clientCA` a client certificate signed by it is required. */
  tls?: InternalBrokerTls;
  log: Logger;
};

/** How long a TLS client may take to finish its handshake: strangers must not hold sockets open. */
const TLS_HANDSHAKE_MS = 10_000;

/** Reads a PEM file of the broker's TLS settings. @throws Error naming the file */
function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(`Cannot read the internal broker's ${what} "${path}": ${(err as Error).message}`, { cause: err });
  }
}

/** A TCP or TLS listener whose connections go to `handle`. */
function listener(tls: InternalBrokerTls | undefined, handle: (socket: Socket) => void): Server {
  if (!tls) return createServer({ noDelay: true }, handle);
  const clientCA = tls.clientCA === undefined ? undefined : readPem(tls.clientCA, "client CA");
  const server = createTlsServer({
    cert: readPem(tls.cert, "certificate"),
    key: readPem(tls.key, "key"),
    ca: clientCA,
    // with a client CA, a client without a certificate it signed fails the handshake before any MQTT is read
    requestCert: clientCA !== undefined,
    rejectUnauthorized: clientCA !== undefined,
    minVersion: "TLSv1.2",
    handshakeTimeout: TLS_HANDSHAKE_MS,
  }, (socket) => {
    socket.setNoDelay(true);
    handle(socket);
  });
  return server;
}

/** An aedes broker listening on TCP, used as a {@link BrokerLink}. */
export class InternalBroker implements BrokerLink {
  readonly kind = "internal" as const;
  readonly #broker: Aedes;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #qos: 0 | 1;
  readonly #log: Logger;

  private constructor(broker: Aedes, server: Server, options: InternalBrokerOptions) {
    this.#broker = broker;
    this.#server = server;
    this.#qos = options.qos;
    this.#log = options.log;
  }

  /**
   * Starts the broker and binds its port.
   *
   * @throws Error when the address cannot be bound (port taken, bad host)
   */
  static async listen(options: InternalBrokerOptions): Promise<InternalBroker> {
    // concurrency 0 (no cap on messages being delivered at once): a device message stays "being delivered" until the
    // bus takes it, and with aedes' default cap of 100 such messages our own publishes, which free the bus, would
    // queue behind them forever. In-flight work stays bounded: one message per device connection, plus our cap.
    const policy = brokerPolicy(options.auth, options.log);
    const broker = await Aedes.createBroker({ concurrency: 0, ...policy });
    // Small MQTT packets must not wait for Nagle's algorithm and the peer's delayed ACK (up to 40 ms each way).
    let server: Server;
    try {
      server = listener(options.tls, (socket) => broker.handle(socket));
    } catch (err) {
      await new Promise<void>((r) => broker.close(() => r()));
      throw err;
    }
    const self = new InternalBroker(broker, server, options);
    server.on("connection", (s) => {
      self.#sockets.add(s);
      s.once("close", () => self.#sockets.delete(s));
    });
    broker.on("clientError", (client, err) => options.log.debug("mqtt client error", { client: client.id, error: err.message }));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port, options.host, () => {
          server.off("error", reject);
          resolve();
        });
      });
    } catch (err) {
      await new Promise<void>((r) => broker.close(() => r()));
      throw new Error(`Cannot start internal MQTT broker on ${options.host}:${options.port}: ${(err as Error).message}`, { cause: err });
    }
    server.on("error", (err) => options.log.error("internal broker listener failed", { error: err.message }));
    server.on("tlsClientError", (err) => options.log.debug("mqtt TLS handshake failed", { error: err.message }));
    const tls = !options.tls ? "none" : options.tls.clientCA ? "client certificates" : "server only";
    options.log.info("internal MQTT broker listening", { address: `${options.host}:${self.port}`, password: options.auth ? "required" : "none", tls });
    return self;
  }

  /** The bound port. */
  /** MQTT clients connected now. */
  get clients(): number {
    return this.#broker.connectedClients;
  }

  get port(): number {
    const a = this.#server.address();
    return typeof a === "object" && a ? a.port : 0;
  }

  subscribe(topics: readonly string[], onMessage: MqttHandler): Promise<void> {
    // aedes waits for `done` before it acknowledges the device's publish, so a full bus slows devices down.
    const deliver = (packet: AedesPublishPacket, done: () => void) => {
      void onMessage(packet.topic, packet.payload as Uint8Array).then(done, (err: unknown) => {
        this.#log.warn("cannot hand MQTT message on", { topic: packet.topic, error: String(err) });
        done();
      });
    };
    return Promise.all(topics.map((t) => new Promise<void>((r) => this.#broker.subscribe(t, deliver, r)))).then(() => {});
  }

  publish(topic: string, payload: string | Uint8Array): Promise<boolean> {
    const body = typeof payload === "string" ? Buffer.from(payload) : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    return new Promise((resolve) => {
      this.#broker.publish({ cmd: "publish", topic, payload: body, qos: this.#qos, retain: false, dup: false }, (err) => {
        if (err) this.#log.warn("cannot publish on internal broker", { topic, error: err.message });
        resolve(!err);
      });
    });
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((r) => this.#server.close(() => r()));
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((r) => this.#broker.close(() => r()));
    await closed;
  }
}
