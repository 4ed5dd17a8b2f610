/**
 * Exponential back-off between restarts, as the kubelet does it: the first restart after a crash is immediate, the
 * next waits `baseMs`, then twice that, up to `maxMs`. A key that stays quiet for twice `maxMs` starts over.
 *
 * @module
 */

/** Back-off timing. */
export type RestartBackoffOptions = {
  /** @default 10000 */
  baseMs?: number;
  /** @default 300000 */
  maxMs?: number;
};

const DEFAULTS = { baseMs: 10_000, maxMs: 300_000 };

type Entry = { delayMs: number; sinceMs: number };

/** Back-off state per key (a pod's container, or an image). */
export class RestartBackoff {
  readonly #opts: typeof DEFAULTS;
  readonly #entries = new Map<string, Entry>();

  constructor(options: RestartBackoffOptions = {}) {
    this.#opts = { ...DEFAULTS, ...options };
  }

  /**
   * When the next attempt for `key` may start, counted from `sinceMs` (the last exit or failure).
   *
   * @returns a time in ms; at or before now means "go ahead"
   */
  readyAt(key: string, sinceMs: number, nowMs = Date.now()): number {
    const e = this.#entries.get(key);
    if (!e) return 0;
    if (nowMs - e.sinceMs > 2 * this.#opts.maxMs) {
      this.#entries.delete(key);
      return 0;
    }
    return sinceMs + e.delayMs;
  }

  /** Records an attempt started now: the next one waits longer. */
  next(key: string, nowMs = Date.now()): void {
    const e = this.#entries.get(key);
    const delayMs = e ? Math.min(e.delayMs * 2, this.#opts.maxMs) : this.#opts.baseMs;
    this.#entries.set(key, { delayMs, sinceMs: nowMs });
  }

  /** Forgets a key (pod removed, image pulled). */
  reset(key: string): void {
    this.#entries.delete(key);
  }

  /** Forgets every key starting with `prefix`. */
  resetPrefix(prefix: string): void {
    for (const k of this.#entries.keys()) if (k.startsWith(prefix)) this.#entries.delete(k);
  }
}
