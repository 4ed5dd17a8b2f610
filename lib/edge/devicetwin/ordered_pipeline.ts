/**
 * Lets DeviceTwin work on many requests at once while answering them in arrival order. Each request starts its
 * store transaction at once (so commits share an fsync); its answer is consumed only after every earlier one.
 *
 * @module
 */

/** A bounded FIFO of pending results, consumed in order. */
export class OrderedPipeline<T> {
  readonly #limit: number;
  readonly #consume: (value: T) => Promise<void>;
  readonly #onError: (err: unknown) => void;
  #items: Promise<T>[] = [];
  #running = false;
  #space: (() => void)[] = [];
  #idle: (() => void)[] = [];

  /**
   * @param limit results waiting before `push` waits
   * @param consume called with each result in push order; a throw is passed to `onError`
   */
  constructor(limit: number, consume: (value: T) => Promise<void>, onError: (err: unknown) => void) {
    if (!(limit >= 1)) throw new RangeError(`Cannot create pipeline: limit must be at least 1, got ${limit}`);
    this.#limit = limit;
    this.#consume = consume;
    this.#onError = onError;
  }

  /** Results not yet consumed. */
  get size(): number {
    return this.#items.length;
  }

  /** Adds a pending result; waits while `limit` results are pending. */
  async push(pending: Promise<T>): Promise<void> {
    // Handled here so a failure of a result still queued behind others is not an unhandled rejection; #run sees it.
    pending.catch(() => {});
    this.#items.push(pending);
    if (!this.#running) void this.#run();
    while (this.#items.length >= this.#limit) await new Promise<void>((r) => this.#space.push(r));
  }

  /** Resolves once everything pushed so far is consumed. */
  idle(): Promise<void> {
    if (!this.#running) return Promise.resolve();
    return new Promise((r) => this.#idle.push(r));
  }

  async #run(): Promise<void> {
    this.#running = true;
    while (this.#items.length) {
      try {
        await this.#consume(await this.#items[0]);
      } catch (err) {
        this.#onError(err);
      }
      this.#items.shift();
      this.#space.shift()?.();
    }
    this.#running = false;
    for (const r of this.#idle.splice(0)) r();
  }
}
