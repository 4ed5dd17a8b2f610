/**
 * The unacknowledged messages of one node (reliable, at-least-once delivery). Each entry is a
 * cloud->edge message that carries a resourceVersion; it stays until the edge ACKs it (a reply whose
 * `parent_msg_id` is its id) and is sent again after a timeout and on reconnect. Per object only the newest version
 * is kept: a newer message for the same resource replaces the queued one, an older one is dropped as stale.
 *
 * The outbox is bounded by count and bytes. Overflow evicts the oldest entry; that is safe because every reconnect
 * resyncs the node's whole desired state, and the caller forces one when it evicts an entry a live link never got.
 *
 * @module
 */
import { compareResourceVersions, type Message } from "../../model/index.ts";

/** One tracked message. `sentAt` is 0 while it has not been written to a link. */
export type Pending = {
  readonly id: string;
  /** The object it is about (edge-form resource). */
  readonly key: string;
  readonly resourceVersion: string;
  /** The encoded frame, kept so a resend costs no encoding. */
  readonly frame: string;
  sentAt: number;
  attempts: number;
};

/** What {@link Outbox.add} did: the new entry (none when stale) and the entries dropped to make room. */
export type AddResult = { outcome: "added" | "replaced" | "stale"; entry?: Pending; evicted: Pending[] };

/** Bounds of one outbox. */
export type OutboxLimits = { messages: number; bytes: number };

/** The unacknowledged messages of one node, oldest first. */
export class Outbox {
  readonly #limits: OutboxLimits;
  /** In the order first queued, which is the order a reconnect sends them again. */
  readonly #byId = new Map<string, Pending>();
  readonly #byKey = new Map<string, Pending>();
  #bytes = 0;

  constructor(limits: OutboxLimits) {
    this.#limits = limits;
  }

  /** Messages waiting for an ACK. */
  get size(): number {
    return this.#byId.size;
  }

  /** Bytes of the frames waiting for an ACK. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Tracks an edge-form message (its frame already encoded). */
  add(msg: Message, frame: string): AddResult {
    const key = msg.route.resource;
    const rv = msg.header.resourceversion;
    const queued = this.#byKey.get(key);
    let outcome: AddResult["outcome"] = "added";
    if (queued) {
      if ((compareResourceVersions(rv, queued.resourceVersion) ?? 0) < 0) return { outcome: "stale", evicted: [] };
      this.#remove(queued);
      outcome = "replaced";
    }
    const entry: Pending = { id: msg.header.msg_id, key, resourceVersion: rv, frame, sentAt: 0, attempts: 0 };
    this.#byId.set(entry.id, entry);
    this.#byKey.set(key, entry);
    this.#bytes += frame.length;
    const evicted: Pending[] = [];
    for (const oldest of this.#byId.values()) {
      if (this.#byId.size <= this.#limits.messages && this.#bytes <= this.#limits.bytes) break;
      if (oldest === entry) break;
      this.#remove(oldest);
      evicted.push(oldest);
    }
    return { outcome, entry, evicted };
  }

  /** Settles the message with id `parentId`. @returns true when it was pending */
  ack(parentId: string): boolean {
    const entry = this.#byId.get(parentId);
    if (!entry) return false;
    this.#remove(entry);
    return true;
  }

  /** Entries never sent or sent at least `timeoutMs` before `now`, oldest first, at most `max`. */
  due(now: number, timeoutMs: number, max = Infinity): Pending[] {
    const out: Pending[] = [];
    for (const e of this.#byId.values()) {
      if (out.length >= max) break;
      if (e.sentAt === 0 || now - e.sentAt >= timeoutMs) out.push(e);
    }
    return out;
  }

  /** Every entry, oldest first (what a reconnect sends again). */
  all(): Pending[] {
    return [...this.#byId.values()];
  }

  /** Records that `entry` was written now. */
  markSent(entry: Pending, now: number): void {
    entry.sentAt = now;
    entry.attempts++;
  }

  /** Marks every entry unsent (the link is gone; a reconnect sends them all). */
  markAllUnsent(): void {
    for (const e of this.#byId.values()) e.sentAt = 0;
  }

  #remove(entry: Pending): void {
    this.#byId.delete(entry.id);
    if (this.#byKey.get(entry.key) === entry) this.#byKey.delete(entry.key);
    this.#bytes -= entry.frame.length;
  }
}
