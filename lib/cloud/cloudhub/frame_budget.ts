/**
 * The cloud-wide budget of bytes received from nodes and not yet handed on: one ledger for all links, with a cap per
 * link and a cap in total. A link asks before it reads a message; when the message does not fit, the link waits (its
 * socket is not read) in arrival order until enough is given back.
 *
 * @module
 */

/** The two caps, in bytes. */
export type FrameBudgetLimits = {
  /** Bytes all links together may hold. */
  totalBytes: number;
  /** Bytes one link may hold. */
  linkBytes: number;
};

/** A snapshot for stats and logs. */
export type FrameBudgetStats = {
  /** Bytes held now over all links. */
  heldBytes: number;
  /** Most bytes ever held at once. */
  peakBytes: number;
  /** Links waiting for room now. */
  waiting: number;
  /** Times a link had to wait. */
  waits: number;
};

type Account = { held: number; want: number; onGrant?: () => void };

/**
 * Grants, takes back and queues byte amounts per link (any object identifies a link). An amount fits when the link's
 * and the total holdings stay within their caps, or when nothing is held there at all, so a single amount larger
 * than a cap still goes through alone instead of waiting forever. Waiters are served strictly in order: a small
 * request does not overtake a large one, so the large one is not starved.
 */
export class FrameBudget {
  readonly limits: FrameBudgetLimits;
  readonly #accounts = new Map<object, Account>();
  readonly #queue: object[] = [];
  #held = 0;
  #peak = 0;
  #waits = 0;

  constructor(limits: FrameBudgetLimits) {
    for (const [k, v] of Object.entries(limits)) {
      if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`Cannot create frame budget: ${k} must be a positive integer, got ${v}`);
    }
    if (limits.linkBytes > limits.totalBytes) {
      throw new RangeError(`Cannot create frame budget: linkBytes (${limits.linkBytes}) is larger than totalBytes (${limits.totalBytes})`);
    }
    this.limits = { ...limits };
  }

  /**
   * Asks for `bytes` on behalf of `link`. @returns true when granted now; false when the link must wait, in which case
   * `onGrant` runs once the whole amount it waits for (this and any later asks) is granted
   */
  take(link: object, bytes: number, onGrant: () => void): boolean {
    const a = this.#account(link);
    if (a.want === 0 && this.#queue.length === 0 && this.#fits(a, bytes)) {
      this.#grant(a, bytes);
      return true;
    }
    if (a.want === 0) {
      this.#queue.push(link);
      this.#waits++;
    }
    a.want += bytes;
    a.onGrant = onGrant;
    return false;
  }

  /**
   * Gives back `bytes` that `link` took: from what it holds first, then from what it still waits for (a message that
   * completed before its turn came). Amounts beyond what the link has are ignored. Waiters that now fit are granted.
   */
  give(link: object, bytes: number): void {
    const a = this.#accounts.get(link);
    if (!a || bytes <= 0) return;
    const fromHeld = Math.min(a.held, bytes);
    a.held -= fromHeld;
    this.#held -= fromHeld;
    const wanted = a.want;
    a.want -= Math.min(a.want, bytes - fromHeld);
    let onGrant: (() => void) | undefined;
    if (wanted > 0 && a.want === 0) {
      // everything it waited for already arrived and was handed on: nothing left to wait for, so it may read again
      this.#unqueue(link);
      onGrant = a.onGrant;
      a.onGrant = undefined;
    }
    if (a.held === 0 && a.want === 0) this.#accounts.delete(link);
    this.#pump();
    onGrant?.();
  }

  /** Stops `link` from waiting (it closed); what it holds stays until given back. @returns the bytes it waited for */
  cancel(link: object): number {
    const a = this.#accounts.get(link);
    if (!a) return 0;
    const dropped = a.want;
    a.want = 0;
    a.onGrant = undefined;
    this.#unqueue(link);
    if (a.held === 0) this.#accounts.delete(link);
    this.#pump();
    return dropped;
  }

  /** Bytes `link` holds now. */
  heldBy(link: object): number {
    return this.#accounts.get(link)?.held ?? 0;
  }

  /** True while `link` waits for room. */
  isWaiting(link: object): boolean {
    return (this.#accounts.get(link)?.want ?? 0) > 0;
  }

  /** Totals for stats and metrics. */
  stats(): FrameBudgetStats {
    return { heldBytes: this.#held, peakBytes: this.#peak, waiting: this.#queue.length, waits: this.#waits };
  }

  #account(link: object): Account {
    let a = this.#accounts.get(link);
    if (!a) this.#accounts.set(link, (a = { held: 0, want: 0 }));
    return a;
  }

  #fits(a: Account, bytes: number): boolean {
    const linkOk = a.held === 0 || a.held + bytes <= this.limits.linkBytes;
    const totalOk = this.#held === 0 || this.#held + bytes <= this.limits.totalBytes;
    return linkOk && totalOk;
  }

  #grant(a: Account, bytes: number): void {
    a.held += bytes;
    this.#held += bytes;
    if (this.#held > this.#peak) this.#peak = this.#held;
  }

  #unqueue(link: object): void {
    const i = this.#queue.indexOf(link);
    if (i >= 0) this.#queue.splice(i, 1);
  }

  /** Grants waiters in order while the first one fits. */
  #pump(): void {
    while (this.#queue.length > 0) {
      const a = this.#accounts.get(this.#queue[0]!)!;
      if (!this.#fits(a, a.want)) return;
      this.#queue.shift();
      this.#grant(a, a.want);
      a.want = 0;
      const onGrant = a.onGrant;
      a.onGrant = undefined;
      onGrant?.();
    }
  }
}
