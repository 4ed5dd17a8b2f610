/**
 * Runs async work with bounded concurrency while keeping the order of work for the same key (two status reports for
 * one pod are written in the order they came). `submit` waits only for a free slot, so the caller's loop keeps
 * reading while earlier work finishes: backpressure without serialising everything.
 *
 * @module
 */

/** A keyed work queue. Tasks handle their own errors; one that throws anyway is passed to `onError`. */
export class KeyedQueue {
  readonly #limit: number;
  readonly #onError: (e: unknown) => void;
  #running = 0;
  #tails = new Map<string, Promise<void>>();
  #waiting: (() => void)[] = [];

  /** @param limit most tasks in flight at once */
  constructor(limit: number, onError: (e: unknown) => void) {
    this.#limit = limit;
    this.#onError = onError;
  }

  /** Tasks in flight. */
  get running(): number {
    return this.#running;
  }

  /** Queues `fn` behind earlier work of the same key; resolves once it holds a slot. */
  async submit(key: string, fn: () => Promise<void>): Promise<void> {
    while (this.#running >= this.#limit) await new Promise<void>((r) => this.#waiting.push(r));
    this.#running++;
    const prev = this.#tails.get(key) ?? Promise.resolve();
    const next: Promise<void> = prev.then(fn).catch(this.#onError).finally(() => {
      this.#running--;
      if (this.#tails.get(key) === next) this.#tails.delete(key);
      this.#waiting.shift()?.();
    });
    this.#tails.set(key, next);
  }

  /** Resolves when every submitted task has finished. */
  async idle(): Promise<void> {
    while (this.#tails.size) await Promise.all([...this.#tails.values()]);
  }
}
