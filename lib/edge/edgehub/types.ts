/**
 * Options and counters of EdgeHub.
 *
 * @module
 */
import type { Logger } from "../../log/index.ts";
import type { Store } from "../../store/types.ts";

/** What EdgeHub needs; the lead maps `edgeHub` of edge.yaml onto it. */
export type EdgeHubOptions = {
  /** This node's name: the link URL's `<node>` and the certificate's CN. */
  nodeName: string;
  /** cloudhub's address. */
  server: { host: string; port: number };
  /** `<project>` in the link URL. */
  projectId: string;
  /** File paths of the CA certificate, the node certificate and its key (PEM), read at init. */
  tls: { ca: string; cert: string; key: string };
  /** Keepalive interval; a cloud silent for two of them is presumed gone. @default 15000 ms */
  heartbeatMs?: number;
  /** Delay scale of the first reconnect. @default 1000 ms */
  reconnectMinMs?: number;
  /** Longest wait between reconnect attempts. @default 30000 ms */
  reconnectMaxMs?: number;
  /** How long dialing the cloud may take (TCP, TLS and upgrade): generous, so a node queued in a reconnect storm waits
   * instead of abandoning work the cloud already did. @default 30000 ms */
  connectTimeoutMs?: number;
  /** Largest frame accepted from the cloud. @default 33554432 bytes (32 MiB) */
  maxFrameBytes?: number;
  /** Reports kept while offline (latest per object); past it the oldest is dropped. @default 10000 */
  maxOfflineMessages?: number;
  /**
   * Where reports made while offline are kept so they survive a restart. Without it they are kept in memory only
   * (load generators).
   */
  store?: Store;
  log?: Logger;
};

/** Message counters of EdgeHub. */
export type EdgeHubCounters = {
  /** Frames from the cloud. */
  in: number;
  /** Messages written to the cloud (keepalives excluded). */
  out: number;
  /** Kept reports sent after a reconnect. */
  resent: number;
  /** Reports kept because the link was down. */
  kept: number;
  /** Messages dropped: no route, replies while offline, offline overflow. */
  dropped: number;
  /** Frames from the cloud that were not messages. */
  badFrames: number;
  /** Links established. */
  connects: number;
};

/** Link states, logged by name. */
export type LinkState = "idle" | "connecting" | "connected" | "waiting" | "stopped";
