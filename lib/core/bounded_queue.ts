/**
 * A bounded FIFO with an async iterator for one consumer and backpressure for producers: `push` waits while the
 * queue is full, so a slow module slows its senders instead of growing memory.
 *
 * @module
 */
import { BusError } from "./bus_error.ts";

/** A bounded queue. `limit` is the number of items held before `push` waits. */
export class BoundedQueue<T> implements AsyncIterable<T> {
  readonly limit: number;
  #items: T[] = [];
  #head = 0;
  #closed = false;
  #takers: ((r: IteratorResult<T>) => void)[] = [];
  #pushers: { item: T; resolve: () => void; reject: (e: unknown) => void }[] = [];

  constructor(limit: number) {
    if (!(limit >= 1)) throw new RangeError(`Cannot create queue: limit must be at least 1, got ${limit}`);
    this.limit = limit;
  }

  /** Items waiting, not counting producers blocked on a full queue. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Producers waiting for room: the visible measure of backpressure. */
  get blocked(): number {
    return this.#pushers.length;
  }

  /** Adds an item if there is room. @returns false when full or closed */
  tryPush(item: T): boolean {
    if (this.#closed) return false;
    const taker = this.#takers.shift();
    if (taker) {
      taker({ value: item, done: false });
      return true;
    }
    if (this.size >= this.limit) return false;
    this.#items.push(item);
    return true;
  }

  /**
   * Adds an item, waiting while the queue is full.
   *
   * @throws BusError `BUS_CLOSED` when the queue closes first, or the signal's reason when it aborts
   */
  push(item: T, signal?: AbortSignal): Promise<void> {
    if (this.#closed) return Promise.reject(new BusError("BUS_CLOSED", "Cannot send message: queue is closed"));
    if (this.tryPush(item)) return Promise.resolve();
    signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      const entry = { item, resolve, reject };
      this.#pushers.push(entry);
      signal?.addEventListener("abort", () => {
        const i = this.#pushers.indexOf(entry);
        if (i >= 0) this.#pushers.splice(i, 1);
        reject(signal.reason);
      }, { once: true });
    });
  }

  /** Takes the next item, or undefined once closed and drained. */
  shift(): Promise<T | undefined> {
    if (this.size > 0) {
      const item = this.#items[this.#head];
      this.#items[this.#head++] = undefined as T;
      if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
        this.#items = this.#items.slice(this.#head);
        this.#head = 0;
      }
      const p = this.#pushers.shift();
      if (p) {
        this.#items.push(p.item);
        p.resolve();
      }
      return Promise.resolve(item);
    }
    if (this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#takers.push((r) => resolve(r.done ? undefined : r.value)));
  }

  /** Ends the queue: waiting consumers get done, blocked producers are rejected. Items already queued can still be read. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const t of this.#takers.splice(0)) t({ value: undefined, done: true });
    for (const p of this.#pushers.splice(0)) p.reject(new BusError("BUS_CLOSED", "Cannot send message: queue is closed"));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const item = await this.shift();
      if (item === undefined) return;
      yield item;
    }
  }
}
