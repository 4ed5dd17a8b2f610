/**
 * A controller work queue: keys, not events. A key queued many times before it is worked on is worked on once; a
 * key being worked on is queued again after it finishes; a failed key comes back with exponential delay. This is
 * what makes reconcile loops level-based.
 *
 * @module
 */
import type { Logger } from "../../log/index.ts";
import { withDefaults } from "./_defaults.ts";

/** Options of {@link WorkQueue}. */
export type WorkQueueOptions = {
  /** Keys worked on at once. @default 4 */
  concurrency?: number;
  /** First retry delay after a failure; doubles per failure of the same key. @default 200 */
  retryMinMs?: number;
  /** @default 30000 */
  retryMaxMs?: number;
  /**
   * Says which failures are expected (an update conflict after a stale cache read): it returns the delay before the
   * quiet retry, or undefined for a real failure (warned about, retried with backoff). @default none are expected
   */
  expectedRetryMs?: (error: unknown) => number | undefined;
  log: Logger;
};

/** Deduplicating, retrying key queue driving one reconcile function. */
export class WorkQueue {
  readonly #reconcile: (key: string) => Promise<void>;
  readonly #o: Required<WorkQueueOptions>;
  #queued = new Set<string>();
  #order: string[] = [];
  #active = new Set<string>();
  #dirty = new Set<string>();
  #failures = new Map<string, number>();
  #delayed = new Map<string, { timer: ReturnType<typeof setTimeout>; dueMs: number }>();
  #running = 0;
  #stopped = false;
  #idleWaiters: (() => void)[] = [];

  constructor(reconcile: (key: string) => Promise<void>, options: WorkQueueOptions) {
    this.#reconcile = reconcile;
    this.#o = withDefaults({ concurrency: 4, retryMinMs: 200, retryMaxMs: 30_000, expectedRetryMs: (_e: unknown): number | undefined => undefined }, options);
  }

  /** Queues a key (no-op if already queued). */
  add(key: string): void {
    if (this.#stopped) return;
    if (this.#active.has(key)) {
      this.#dirty.add(key);
      return;
    }
    if (this.#queued.has(key)) return;
    this.#queued.add(key);
    this.#order.push(key);
    this.#pump();
  }

  /** Queues a key after a delay; of several delayed adds of one key only the earliest is kept. */
  addAfter(key: string, ms: number): void {
    if (this.#stopped) return;
    const dueMs = Date.now() + ms;
    const pending = this.#delayed.get(key);
    if (pending && pending.dueMs <= dueMs) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.#delayed.delete(key);
      this.add(key);
    }, ms);
    timer.unref?.();
    this.#delayed.set(key, { timer, dueMs });
  }

  #pump(): void {
    while (this.#running < this.#o.concurrency && this.#order.length) {
      const key = this.#order.shift()!;
      this.#queued.delete(key);
      this.#active.add(key);
      this.#running++;
      this.#reconcile(key).then(
        () => this.#failures.delete(key),
        (e) => {
          const quiet = this.#o.expectedRetryMs(e);
          if (quiet !== undefined) {
            this.#o.log.debug("reconcile retry", { item: key, error: e instanceof Error ? e.message : String(e), inMs: quiet });
            this.addAfter(key, quiet);
            return;
          }
          const n = (this.#failures.get(key) ?? 0) + 1;
          this.#failures.set(key, n);
          const delay = Math.min(this.#o.retryMinMs * 2 ** (n - 1), this.#o.retryMaxMs);
          this.#o.log.warn("reconcile failed, retrying", { item: key, error: e instanceof Error ? e.message : String(e), inMs: delay });
          this.addAfter(key, delay);
        },
      ).finally(() => {
        this.#active.delete(key);
        this.#running--;
        if (this.#dirty.delete(key)) this.add(key);
        this.#pump();
        if (!this.#running && !this.#order.length) for (const w of this.#idleWaiters.splice(0)) w();
      });
    }
  }

  /** Keys waiting or being worked on. */
  get size(): number {
    return this.#order.length + this.#running;
  }

  /** Resolves when nothing is queued or running (delayed retries not counted). */
  idle(): Promise<void> {
    if (!this.#running && !this.#order.length) return Promise.resolve();
    return new Promise((r) => this.#idleWaiters.push(r));
  }

  /** Drops queued keys and pending retries. */
  stop(): void {
    this.#stopped = true;
    this.#order = [];
    this.#queued.clear();
    for (const { timer } of this.#delayed.values()) clearTimeout(timer);
    this.#delayed.clear();
  }
}
