/**
 * Reliable cloud->edge delivery for all nodes: a bounded {@link Outbox} per node, first sends, resends after the ACK
 * timeout and on reconnect, and the counters that go with them: at-least-once delivery.
 *
 * A message is tracked when it carries a resourceVersion and is not a reply; others are sent once if the node is
 * linked and dropped otherwise (a reply to a query that can no longer arrive helps nobody).
 *
 * @module
 */
import type { Logger } from "../../log/index.ts";
import { encodeMessage, isReply, type Message } from "../../model/index.ts";
import type { CounterSet } from "./link_counters.ts";
import type { NodeSession } from "./node_session.ts";
import { Outbox, type OutboxLimits, type Pending } from "./outbox.ts";

/** Delivery tuning (defaults applied by CloudHub). */
export type DeliveryOptions = {
  ackTimeoutMs: number;
  highWaterBytes: number;
  limits: OutboxLimits;
};

/** What {@link Delivery.send} did with a message. */
export type SendOutcome = "sent" | "queued" | "stale" | "dropped";

/** Outboxes of every node and the sending policy. */
export class Delivery {
  readonly #opts: DeliveryOptions;
  readonly #counters: CounterSet;
  readonly #log: Logger;
  readonly #outboxes = new Map<string, Outbox>();

  constructor(opts: DeliveryOptions, counters: CounterSet, log: Logger) {
    this.#opts = opts;
    this.#counters = counters;
    this.#log = log;
  }

  /**
   * Sends an edge-form message to `node` over `session` (undefined when the node is not linked).
   * `onOverflow` is called when tracking it evicted older messages never written to the live link: the caller resyncs
   * the node.
   */
  send(node: string, msg: Message, session: NodeSession | undefined, onOverflow: () => void): SendOutcome {
    const frame = encodeMessage(msg);
    if (isReply(msg) || msg.header.resourceversion === "") {
      if (session?.write(frame)) {
        this.#counters.add(node, "out");
        return "sent";
      }
      this.#counters.add(node, "dropped");
      return "dropped";
    }
    const box = this.#outbox(node);
    const { outcome, entry, evicted } = box.add(msg, frame);
    if (outcome === "stale") {
      this.#counters.add(node, "dropped");
      this.#log.debug("stale message dropped", { node, resource: msg.route.resource, resourceVersion: msg.header.resourceversion });
      return "stale";
    }
    if (evicted.length) {
      this.#counters.add(node, "dropped", evicted.length);
      // An evicted message already written to the live link still arrives in order; if that link fails, the resync
      // of the next one covers it. One never written would be lost on a live link: only then resync now.
      const unsent = evicted.filter((e) => e.sentAt === 0).length;
      this.#log.warn("unacknowledged messages overflowed, oldest dropped", { node, dropped: evicted.length, unsent, pending: box.size });
      if (session && unsent) onOverflow();
    }
    if (session && entry && session.bufferedBytes < this.#opts.highWaterBytes) {
      this.#write(node, session, entry, Date.now());
      return "sent";
    }
    return "queued";
  }

  /** Settles a pending message of `node` from the edge's ACK. @returns true when it was pending */
  ack(node: string, parentId: string): boolean {
    const ok = this.#outboxes.get(node)?.ack(parentId) ?? false;
    if (ok) this.#counters.add(node, "acked");
    return ok;
  }

  /** Sends every pending message of `node` again, oldest first: called when a node (re)connects. */
  resendAll(node: string, session: NodeSession): void {
    const box = this.#outboxes.get(node);
    if (!box) return;
    const now = Date.now();
    for (const e of box.all()) {
      if (session.bufferedBytes >= this.#opts.highWaterBytes) break;
      this.#write(node, session, e, now);
    }
  }

  /** Forgets send times of `node` after its link closed, so the next link sends everything pending. */
  linkLost(node: string): void {
    this.#outboxes.get(node)?.markAllUnsent();
  }

  /** Sends what is due (never sent, or unacknowledged past the timeout) on every linked node. */
  sweep(now: number, sessionOf: (node: string) => NodeSession | undefined): void {
    for (const [node, box] of this.#outboxes) {
      if (box.size === 0) continue;
      const session = sessionOf(node);
      if (!session) continue;
      for (const e of box.due(now, this.#opts.ackTimeoutMs)) {
        if (session.bufferedBytes >= this.#opts.highWaterBytes) break;
        this.#write(node, session, e, now);
      }
    }
  }

  /** Unacknowledged messages of one node, or of all nodes. */
  pending(node?: string): number {
    if (node !== undefined) return this.#outboxes.get(node)?.size ?? 0;
    let n = 0;
    for (const box of this.#outboxes.values()) n += box.size;
    return n;
  }

  #write(node: string, session: NodeSession, entry: Pending, now: number): void {
    if (!session.write(entry.frame)) return;
    this.#counters.add(node, entry.attempts === 0 ? "out" : "resent");
    this.#outboxes.get(node)?.markSent(entry, now);
  }

  #outbox(node: string): Outbox {
    let box = this.#outboxes.get(node);
    if (!box) this.#outboxes.set(node, (box = new Outbox(this.#opts.limits)));
    return box;
  }
}
