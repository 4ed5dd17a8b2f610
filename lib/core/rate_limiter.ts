/**
 * A token bucket per key: `burst` tokens at most, refilled at `perMinute`. What one node may cost the cloud in
 * Events is bounded this way on both sides of the link (the cloud refuses a node's events beyond its rate, the edge
 * does not send them in the first place), and what strangers may ask of the join endpoints (key: source address).
 *
 * @module
 */

/** Options of {@link RateLimiter}. */
export type RateLimiterOptions = {
  /** Tokens refilled per minute. */
  perMinute: number;
  /** Tokens a key can save up. */
  burst: number;
  /** For tests. @default Date.now */
  now?: () => number;
};

/** Per-key token buckets. */
export class RateLimiter {
  readonly #o: Required<RateLimiterOptions>;
  readonly #buckets = new Map<string, { tokens: number; atMs: number }>();

  constructor(options: RateLimiterOptions) {
    this.#o = { now: Date.now, ...options };
  }

  /** Takes one token of `key`. @returns false when the key has none left (the caller refuses the request) */
  take(key: string): boolean {
    const now = this.#o.now();
    const b = this.#buckets.get(key) ?? { tokens: this.#o.burst, atMs: now };
    b.tokens = Math.min(this.#o.burst, b.tokens + ((now - b.atMs) * this.#o.perMinute) / 60_000);
    b.atMs = now;
    this.#buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
