/**
 * Types shared by EventBus and its broker links.
 *
 * @module
 */
import type { Logger } from "../../log/index.ts";

/** Called for every MQTT message received; the link takes the next message only after the promise settles. */
export type MqttHandler = (topic: string, payload: Uint8Array) => Promise<void>;

/** One broker EventBus talks to: the internal aedes broker or an external one such as mosquitto. */
export type BrokerLink = {
  readonly kind: "internal" | "external";
  /** Subscribes `topics` with QoS 1 and delivers their messages to `onMessage` (again after reconnects). */
  subscribe(topics: readonly string[], onMessage: MqttHandler): Promise<void>;
  /**
   * Publishes one message.
   *
   * @returns false when the message was dropped because the broker is unreachable
   */
  publish(topic: string, payload: string | Uint8Array): Promise<boolean>;
  close(): Promise<void>;
};

/** TLS of the internal broker: PEM file paths. With `clientCA`, clients must show a certificate it signed. */
export type InternalBrokerTls = { cert: string; key: string; clientCA?: string };

/** Which broker devices use (config `eventBus.mode`). */
export type EventBusMode = "internal" | "external" | "both";

/** EventBus options. */
export type EventBusOptions = {
  /** @default "internal" */
  mode?: EventBusMode;
  /**
   * Listen address of the internal broker; port 0 picks a free port. `auth`: user name and password every client
   * must give (none: any local process may connect). `tls`: serve MQTT over TLS, optionally requiring client
   * certificates. @default { host: "127.0.0.1", port: 1884 }
   */
  internal?: { host: string; port: number; auth?: { username: string; password: string }; tls?: InternalBrokerTls };
  /** The external broker. @default { url: "tcp://127.0.0.1:1883" } */
  external?: { url: string; username?: string; password?: string };
  /** QoS of messages EventBus publishes on the internal broker (KubeEdge's `mqttQOS` default). @default 0 */
  internalQos?: 0 | 1;
  /** QoS of messages EventBus publishes on the external broker (as KubeEdge publishes there). @default 1 */
  externalQos?: 0 | 1;
  /** Publishes awaiting the broker before the inbox is read again. @default 512 */
  maxInFlight?: number;
  /** Wait before reconnecting to an external broker. @default 1000 */
  reconnectMs?: number;
  log?: Logger;
};

/** Counters for observability and tests. */
export type EventBusStats = {
  /** MQTT messages received from devices. */
  received: number;
  /** Messages sent to DeviceTwin. */
  toTwin: number;
  /** Messages forwarded to the cloud. */
  toCloud: number;
  /** Messages published to a broker. */
  published: number;
  /** Messages dropped: broker unreachable, no module to take them, or an operation EventBus does not know. */
  dropped: number;
};
