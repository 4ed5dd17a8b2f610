/**
 * The revocation list as data: read from a ConfigMap's `data` (which anyone with write access to it may have filled
 * with anything), written back, and changed by revoke and unrevoke, with expiry and the size cap applied on every
 * change. Plain functions over maps; the API and the watch are elsewhere.
 *
 * Each key of `data` is a node name, each value JSON `{"revokedAt":"<RFC 3339>","reason":"..."}`.
 *
 * @module
 */
import { isNodeName } from "../../config/index.ts";
import {
  MAX_ENTRIES, MAX_LIST_BYTES, MAX_REASON_CHARS, MAX_VALUE_CHARS, RETENTION_MS, type RevocationEntry, type Revocations,
} from "./types.ts";

/** What {@link parseRevocations} made of a ConfigMap: the entries, and the keys it skipped with why. */
export type ParsedRevocations = { entries: Map<string, RevocationEntry>; skipped: { key: string; why: string }[] };

/**
 * Reads a ConfigMap's `data`. A value that is not an entry is skipped and named in `skipped`, never thrown: a bad
 * write to the ConfigMap must not stop cloudhub from enforcing the rest. Expired entries are dropped silently.
 *
 * @param data the ConfigMap's `data` field, of any shape
 * @param nowMs the current time, for expiry
 */
export function parseRevocations(data: unknown, nowMs: number): ParsedRevocations {
  const entries = new Map<string, RevocationEntry>();
  const skipped: ParsedRevocations["skipped"] = [];
  if (data === undefined || data === null) return { entries, skipped };
  if (typeof data !== "object" || Array.isArray(data)) return { entries, skipped: [{ key: "", why: "data is not a map" }] };
  let seen = 0;
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (++seen > MAX_ENTRIES) {
      skipped.push({ key: "", why: `more than ${MAX_ENTRIES} entries; the rest ignored` });
      break;
    }
    const shown = key.slice(0, 80);
    if (!isNodeName(key)) {
      skipped.push({ key: shown, why: "key is not a node name" });
      continue;
    }
    const entry = parseEntry(value);
    if (typeof entry === "string") skipped.push({ key: shown, why: entry });
    else if (nowMs - entry.revokedAtMs <= RETENTION_MS) entries.set(key, entry);
  }
  return { entries, skipped };
}

function parseEntry(value: unknown): RevocationEntry | string {
  if (typeof value !== "string" || value.length > MAX_VALUE_CHARS) return `value is not a string of at most ${MAX_VALUE_CHARS} characters`;
  let v: unknown;
  try {
    v = JSON.parse(value);
  } catch {
    return "value is not JSON";
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) return "value is not a JSON object";
  const { revokedAt, reason } = v as { revokedAt?: unknown; reason?: unknown };
  const ms = typeof revokedAt === "string" ? Date.parse(revokedAt) : NaN;
  if (!Number.isFinite(ms)) return "revokedAt is not an RFC 3339 time";
  return { revokedAtMs: ms, reason: typeof reason === "string" ? reason.slice(0, MAX_REASON_CHARS) : "" };
}

/** The ConfigMap `data` for `entries`, oldest first (so `kubectl get -o yaml` reads as a history). */
export function serializeRevocations(entries: Revocations): Record<string, string> {
  const data: Record<string, string> = {};
  for (const [node, e] of [...entries].sort((a, b) => a[1].revokedAtMs - b[1].revokedAtMs)) {
    data[node] = JSON.stringify({ revokedAt: new Date(e.revokedAtMs).toISOString(), reason: e.reason });
  }
  return data;
}

/** What a change made: the new entries, and nodes whose old entries had to go to stay under the size cap. */
export type ChangedRevocations = { entries: Map<string, RevocationEntry>; evicted: string[] };

/**
 * `entries` with `node` revoked as of `nowMs` (an earlier revocation of it moves forward; a later one, from a host
 * whose clock runs ahead, stays). Expired entries go; when the data would exceed {@link MAX_LIST_BYTES}, the oldest
 * revocations other than this one go and are named in `evicted`, so the newest revocation always holds.
 */
export function withRevoked(entries: Revocations, node: string, options: { nowMs: number; reason: string }): ChangedRevocations {
  const next = unexpired(entries, options.nowMs);
  const old = next.get(node);
  next.set(node, { revokedAtMs: Math.max(old?.revokedAtMs ?? 0, options.nowMs), reason: options.reason.slice(0, MAX_REASON_CHARS) });
  const evicted: string[] = [];
  let bytes = dataBytes(next);
  if (bytes > MAX_LIST_BYTES) {
    for (const [name, e] of [...next].sort((a, b) => a[1].revokedAtMs - b[1].revokedAtMs)) {
      if (bytes <= MAX_LIST_BYTES) break;
      if (name === node) continue;
      next.delete(name);
      evicted.push(name);
      bytes -= entryBytes(name, e);
    }
  }
  return { entries: next, evicted };
}

/** `entries` without `node` (and without expired entries). */
export function withoutRevoked(entries: Revocations, node: string, nowMs: number): Map<string, RevocationEntry> {
  const next = unexpired(entries, nowMs);
  next.delete(node);
  return next;
}

function unexpired(entries: Revocations, nowMs: number): Map<string, RevocationEntry> {
  return new Map([...entries].filter(([, e]) => nowMs - e.revokedAtMs <= RETENTION_MS));
}

/** Bytes one entry adds to the ConfigMap as the API stores it (JSON: key, value, quotes, colon, comma). */
function entryBytes(node: string, e: RevocationEntry): number {
  return Buffer.byteLength(node) + Buffer.byteLength(JSON.stringify(JSON.stringify({ revokedAt: new Date(e.revokedAtMs).toISOString(), reason: e.reason }))) + 4;
}

function dataBytes(entries: Revocations): number {
  let n = 2;
  for (const [node, e] of entries) n += entryBytes(node, e);
  return n;
}
