/**
 * Options and counters of MetaManager.
 *
 * @module
 */
import type { Logger } from "../../log/index.ts";
import type { Store } from "../../store/types.ts";

/** What MetaManager needs; the lead maps `metaManager` (and `edgeHub.requestTimeout`) of edge.yaml onto it. */
export type MetaManagerOptions = {
  /** The edge store; MetaManager owns its `meta` table. */
  store: Store;
  /** How long a query to the cloud for a missing object waits. @default 60000 ms (KubeEdge's remote query timeout) */
  remoteQueryTimeoutMs?: number;
  /** How often the stored pod statuses are sent to the cloud again. @default 60000 ms */
  podStatusSyncIntervalMs?: number;
  /** Messages handled at once; their store writes share fsyncs and still apply in arrival order. @default 32 */
  maxInFlight?: number;
  log?: Logger;
};

/** What MetaManager counted. */
export type MetaManagerCounters = {
  /** Objects from the cloud written to the store (inserts and updates). */
  stored: number;
  /** Messages whose version equals the stored one (resends): ACKed, not applied again. */
  duplicates: number;
  /** Messages older than the stored object: ACKed and dropped. */
  stale: number;
  /** Objects deleted (by the cloud or by resync). */
  deleted: number;
  /** ACKs sent to the cloud. */
  acked: number;
  /** Messages passed to edged. */
  forwarded: number;
  /** Queries answered (locally or after asking the cloud). */
  queries: number;
  /** Queries sent to the cloud for objects not stored. */
  remoteQueries: number;
  /** Edge reports passed to the cloud. */
  reports: number;
  /** Messages with an operation no handler takes (answered with an error). */
  unknown: number;
  /** Messages whose handling failed. */
  failed: number;
};
