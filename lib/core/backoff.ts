/**
 * Retry delays: exponential backoff with jitter and a cap. Edge reconnects use it so thousands of nodes that lost
 * the cloud together do not return in the same second; cloud controllers use it so a missing or failing API
 * resource is retried slowly, not several times a second.
 *
 * @module
 */

/** Backoff bounds. */
export type BackoffOptions = {
  /** Delay scale of the first retry. @default 1000 ms */
  minMs?: number;
  /** Largest delay. @default 30000 ms */
  maxMs?: number;
  /** Source of randomness in [0, 1). @default Math.random */
  random?: () => number;
};

const DEFAULTS = { minMs: 1000, maxMs: 30_000, random: Math.random };

/**
 * The delay before retry number `attempt` (0 for the first): a base of `minMs * 2^attempt` capped at `maxMs`, of
 * which a random half is waited ("equal jitter"), so the result lies in [base / 2, base].
 *
 * @example Delays of the first retries
 * ```ts
 * backoffDelayMs(0); // 500..1000
 * backoffDelayMs(3); // 4000..8000
 * backoffDelayMs(10); // 15000..30000
 * ```
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = {}): number {
  const o = { ...DEFAULTS, ...options };
  const base = Math.min(o.maxMs, o.minMs * 2 ** Math.min(Math.max(attempt, 0), 40));
  return Math.round(base / 2 + (o.random() * base) / 2);
}
