/**
 * One log line per kind of refusal per key (a node, an address) and period: a sender of thousands of bad messages
 * must not turn the cloud's log into the thing that fills its disk. The first refusal is logged at once; the rest of
 * the period is counted and the count goes on the next line.
 *
 * @module
 */

/** Decides which refusals are logged. */
export class LogThrottle {
  readonly #periodMs: number;
  readonly #last = new Map<string, { atMs: number; suppressed: number }>();

  /** @param periodMs at most one line per key in this time */
  constructor(periodMs: number) {
    this.#periodMs = periodMs;
  }

  /**
   * Whether to log now for `key`.
   *
   * @returns undefined to stay quiet, or how many were suppressed since the last line
   */
  admit(key: string, now = Date.now()): number | undefined {
    const e = this.#last.get(key);
    if (e && now - e.atMs < this.#periodMs) {
      e.suppressed++;
      return undefined;
    }
    const suppressed = e?.suppressed ?? 0;
    this.#last.set(key, { atMs: now, suppressed: 0 });
    // keys are sender x kind of refusal: drop old ones so the map stays as small as the set of active offenders
    if (this.#last.size > 10_000) for (const [k, v] of this.#last) if (now - v.atMs >= this.#periodMs) this.#last.delete(k);
    return suppressed;
  }
}
