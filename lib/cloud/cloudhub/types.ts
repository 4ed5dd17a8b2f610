/**
 * Options and counters of CloudHub.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../../log/index.ts";
import type { FrameBudgetStats } from "./frame_budget.ts";

/** A handler for plain HTTPS requests on cloudhub's port (not link upgrades). @returns false when it does not serve the path */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/** What CloudHub needs. PEM strings come from `ensureCloudPki` (lib/pki). */
export type CloudHubOptions = {
  /** Listen address. Port 0 picks a free port (read it from `CloudHub.address` after init). */
  address: { host: string; port: number };
  /** Server certificate and key, and the CA that node certificates must chain to. */
  tls: { cert: string; key: string; ca: string };
  /** Most nodes linked at once; more get HTTP 429. @default 500 */
  nodeLimit?: number;
  /** A link that sends nothing this long is closed. @default 30000 ms */
  keepaliveTimeoutMs?: number;
  /** Largest frame accepted from an edge; a bigger one closes that link. @default 33554432 bytes (32 MiB) */
  maxFrameBytes?: number;
  /**
   * Bytes of messages received from all nodes and not yet handed to a cloud module. A message is charged when its
   * first frame header arrives; one that does not fit waits (its link is not read) until earlier ones are handed on.
   * @default 268435456 bytes (256 MiB)
   */
  maxInflightBytes?: number;
  /** The same, for one link; at most `maxInflightBytes`. @default 67108864 bytes (64 MiB) */
  maxInflightBytesPerLink?: number;
  /** An unacknowledged message is sent again after this long. @default 10000 ms */
  ackTimeoutMs?: number;
  /**
   * Unacknowledged messages kept per node; past it the oldest is dropped (the next link's resync covers it), and a
   * live link is resynced at once when a dropped one had not been written to it yet. @default 4096
   */
  maxPendingPerNode?: number;
  /** Bytes of unacknowledged messages kept per node, same policy. @default 67108864 bytes (64 MiB) */
  maxPendingBytesPerNode?: number;
  /** Bytes queued on one link beyond which tracked messages wait for the resend sweep. @default 8388608 bytes (8 MiB) */
  highWaterBytes?: number;
  /**
   * Connections held before their link upgrade (strangers: TLS handshake under way, or request not sent yet). At the
   * limit the oldest stranger that sent no byte is shed, then the oldest of the source holding the most; when neither
   * exists the new connection is closed at once, so a reconnect storm sheds load cheaply (the node backs off).
   * @default 1024
   */
  maxPendingHandshakes?: number;
  /** Strangers held from one source address; past it that address's oldest idle one is shed. @default 64 */
  maxPendingPerAddress?: number;
  /** A stranger that sends no byte this long after connecting is dropped (a node sends its ClientHello at once). @default 3000 ms */
  preHandshakeIdleMs?: number;
  /** A stranger that has not finished TLS and sent its upgrade request in this time is dropped. @default 10000 ms */
  handshakeTimeoutMs?: number;
  /** Connections waiting to be accepted (a reconnect storm after a restart); the kernel caps it. @default 4096 */
  listenBacklog?: number;
  /** How often keepalive and resend deadlines are checked. @default 1000 ms */
  sweepIntervalMs?: number;
  /**
   * Whether a certificate for `node` with this notBefore (ms since the epoch) is revoked: such an upgrade gets HTTP
   * 403 with the `x-kubeedge-refusal: revoked` header, and a linked node is closed with code 4003 when a
   * `revocation` message names it. Without it nothing is revoked.
   */
  isRevoked?: (node: string, issuedAtMs: number) => boolean;
  /** Serves plain HTTPS requests on the same port (for example the ServiceBus proxy); others get 404. */
  httpHandler?: HttpHandler;
  log?: Logger;
};

/** Message counters of one node, or of all nodes. */
export type LinkCounters = {
  /** Frames received from the edge (keepalives included). */
  in: number;
  /** Messages sent to the edge, first sends only. */
  out: number;
  /** Messages sent again (after the ACK timeout or on reconnect). */
  resent: number;
  /** ACKs received that settled a pending message. */
  acked: number;
  /** Messages dropped: stale versions, overflow, no target module, no link for an untracked message. */
  dropped: number;
  /** Frames that were not valid messages, or over the size cap (each closed its link). */
  badFrames: number;
};

/** A snapshot of CloudHub's state for logs, tests and metrics. */
export type HubStats = {
  connected: number;
  /** Unacknowledged messages over all nodes. */
  pending: number;
  /** Upgrades refused (bad path, certificate, node limit). */
  refused: number;
  /** Strangers (connections before their upgrade request) shed: idle, too slow, evicted or refused at a limit. */
  shed: number;
  /** Strangers held now. */
  strangers: number;
  /** Strangers held now that have sent no byte yet. */
  idleStrangers: number;
  totals: LinkCounters;
  /** Bytes received from nodes and not yet handed on, and how often links waited for room. */
  frameBudget: FrameBudgetStats;
};

/** What one node looks like. */
export type NodeStats = LinkCounters & { connected: boolean; pending: number; connects: number };
