/**
 * Says once, clearly, that the cloud revoked this node's certificate, rather than one warning per reconnect attempt:
 * a revoked node keeps backing off and retrying (an operator may unrevoke it), and its log should show why without
 * filling the disk.
 *
 * @module
 */
import { REVOKED_CLOSE_CODE, REVOKED_REFUSAL } from "../../model/index.ts";
import type { Logger } from "../../log/index.ts";

/** At most one "revoked" line in this period. @default 600000 ms (10 minutes) */
export const REVOKED_LOG_PERIOD_MS = 600_000;

/** Decides when the revocation line is logged. */
export class RevokedNotice {
  readonly #periodMs: number;
  #loggedAtMs = Number.NEGATIVE_INFINITY;
  #suppressed = 0;

  constructor(periodMs = REVOKED_LOG_PERIOD_MS) {
    this.#periodMs = periodMs;
  }

  /**
   * Looks at a refused dial or a closed link, and logs the revocation line when it is one and the period has passed.
   *
   * @param what the refusal word of a refused dial, or the close code of a link that ended
   * @returns true when it was a revocation (the caller then logs its own line at debug level only)
   */
  check(what: { refusal?: string; closeCode?: number }, node: string, log: Logger, now = Date.now()): boolean {
    if (what.refusal !== REVOKED_REFUSAL && what.closeCode !== REVOKED_CLOSE_CODE) return false;
    if (now - this.#loggedAtMs < this.#periodMs) {
      this.#suppressed++;
      return true;
    }
    log.error("the cloud revoked this node's certificate: it refuses the link until an operator runs 'cloud_core node unrevoke' or the node joins again for a new certificate; retrying with backoff", {
      node,
      ...(this.#suppressed ? { refusedSinceLastLine: this.#suppressed } : {}),
    });
    this.#loggedAtMs = now;
    this.#suppressed = 0;
    return true;
  }
}
