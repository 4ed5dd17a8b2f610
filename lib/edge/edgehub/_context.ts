/**
 * State the parts of EdgeHub share: options, bus, counters, the offline outbox and the current link.
 *
 * @module
 */
import type { Bus } from "../../core/index.ts";
import type { Logger } from "../../log/index.ts";
import type { CloudLink } from "./cloud_link.ts";
import type { OfflineOutbox } from "./offline_outbox.ts";
import type { EdgeHubCounters, LinkState } from "./types.ts";

/** EdgeHub options with defaults applied. */
export type ResolvedOptions = {
  nodeName: string;
  server: { host: string; port: number };
  projectId: string;
  /** Paths of the certificate files, read again before every dial. */
  tls: { ca: string; cert: string; key: string };
  heartbeatMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  connectTimeoutMs: number;
  maxFrameBytes: number;
};

/** What connector, upstream and downstream share. */
export type HubContext = {
  readonly name: string;
  readonly opts: ResolvedOptions;
  readonly log: Logger;
  readonly bus: Bus;
  readonly counters: EdgeHubCounters;
  readonly outbox: OfflineOutbox;
  /** The open link, for replies and queries; undefined while offline. */
  link: CloudLink | undefined;
  /** True once the kept reports went out on the current link: new reports may then go straight to the cloud. */
  reportsFlowing: boolean;
  state: LinkState;
};
