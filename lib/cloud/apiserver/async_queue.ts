/**
 * A bounded push-to-pull bridge: a producer pushes items, a consumer iterates them with `for await`. Pushing past
 * the limit calls `onFull` so the producer can pause its source (backpressure), and `onDrained` when there is room.
 *
 * @module
 */

/** Options of {@link AsyncQueue}. */
export type AsyncQueueOptions = {
  /** Items held before `onFull` is called. @default 64 (items) */
  limit?: number;
  onFull?: () => void;
  onDrained?: () => void;
};

/** Items pushed by one side and iterated by the other; `end()` finishes the iteration. */
export class AsyncQueue<T> implements AsyncIterable<T> {
  #items: T[] = [];
  #waiter: ((r: IteratorResult<T>) => void) | undefined;
  #ended = false;
  #full = false;
  #limit: number;
  #onFull: () => void;
  #onDrained: () => void;

  constructor(options: AsyncQueueOptions = {}) {
    this.#limit = options.limit ?? 64;
    this.#onFull = options.onFull ?? (() => {});
    this.#onDrained = options.onDrained ?? (() => {});
  }

  /** Adds an item; ignored after `end()`. */
  push(item: T): void {
    if (this.#ended) return;
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter({ value: item, done: false });
      return;
    }
    this.#items.push(item);
    if (!this.#full && this.#items.length >= this.#limit) {
      this.#full = true;
      this.#onFull();
    }
  }

  /** Ends the iteration once the held items are consumed. */
  end(): void {
    this.#ended = true;
    const waiter = this.#waiter;
    if (waiter && this.#items.length === 0) {
      this.#waiter = undefined;
      waiter({ value: undefined, done: true });
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.#items.length) {
          const value = this.#items.shift()!;
          if (this.#full && this.#items.length < this.#limit / 2) {
            this.#full = false;
            this.#onDrained();
          }
          return Promise.resolve({ value, done: false });
        }
        if (this.#ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.#waiter = resolve));
      },
      return: () => {
        this.end();
        this.#items = [];
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
