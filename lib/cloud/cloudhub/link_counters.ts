/**
 * Per-node and total message counters of CloudHub (in, out, resent, acked, dropped, bad frames) plus connect counts.
 *
 * @module
 */
import type { LinkCounters } from "./types.ts";

/** A counter name. */
export type CounterName = keyof LinkCounters;

function zero(): LinkCounters {
  return { in: 0, out: 0, resent: 0, acked: 0, dropped: 0, badFrames: 0 };
}

/** Counters per node (kept across reconnects) and their totals. */
export class CounterSet {
  readonly totals: LinkCounters = zero();
  readonly #nodes = new Map<string, LinkCounters & { connects: number }>();

  /** Adds `n` to a node's counter and to the total. */
  add(node: string, name: CounterName, n = 1): void {
    this.#node(node)[name] += n;
    this.totals[name] += n;
  }

  /** Counts a new link of `node`. */
  connected(node: string): void {
    this.#node(node).connects++;
  }

  /** A copy of a node's counters (zeros for a node never seen). */
  get(node: string): LinkCounters & { connects: number } {
    return { ...(this.#nodes.get(node) ?? { ...zero(), connects: 0 }) };
  }

  #node(node: string): LinkCounters & { connects: number } {
    let c = this.#nodes.get(node);
    if (!c) this.#nodes.set(node, (c = { ...zero(), connects: 0 }));
    return c;
  }
}
