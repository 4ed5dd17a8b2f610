/**
 * What the revocation list holds and its bounds.
 *
 * @module
 */
import { BACKDATE_MS } from "../../pki/index.ts";

/** One revoked node: certificates for it issued at or before `revokedAtMs` are refused. */
export type RevocationEntry = {
  /** When the node was revoked, in ms since the epoch (the revoking host's clock). */
  revokedAtMs: number;
  /** Why, for `node list-revoked` and the logs (for example "node deleted"). At most {@link MAX_REASON_CHARS}. */
  reason: string;
};

/** Node name -> its revocation. */
export type Revocations = ReadonlyMap<string, RevocationEntry>;

/** Name of the ConfigMap, in cloud_core's namespace (`kubernetes.namespace`), that holds the list. */
export const REVOKED_NODES_CONFIGMAP = "kubeedge-ts-revoked-nodes";

/** The list's ConfigMap stays under this many bytes of data (the API refuses objects over 1 MiB). */
export const MAX_LIST_BYTES = 900 * 1024;

/** Entries read from a ConfigMap at most: a bigger one is someone else's or hostile, and the rest is skipped. */
export const MAX_ENTRIES = 20_000;

/** Longest reason kept; a longer one is cut. */
export const MAX_REASON_CHARS = 200;

/** Longest stored value read; a longer one is skipped as not ours. */
export const MAX_VALUE_CHARS = 512;

/**
 * How long an entry is kept: longer than any node certificate lives (10 years at most, started an hour early), so
 * every certificate an entry refuses has expired by the time the entry goes.
 */
export const RETENTION_MS = 3653 * 86_400_000 + BACKDATE_MS + 86_400_000;
