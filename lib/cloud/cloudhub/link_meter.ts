/**
 * One link's share of the {@link FrameBudget}: charges each message when its first frame header arrives (before its
 * payload is read), tells the link to stop reading while the charge waits, and gives the charge back once the hub is
 * done with the message, or when the link closes before the message completed.
 *
 * A single-frame message costs its payload plus {@link FRAME_OVERHEAD}. A fragmented message's size is unknown at
 * its first frame, so it is charged the most a message may be ({@link fragmentedCost}); its later fragments are then
 * never charged again, which means a link never waits in the middle of a message. Every byte held is thus in a
 * message that can complete without more budget, so the ordered wait always ends.
 *
 * @module
 */
import type { FrameBudget } from "./frame_budget.ts";
import { type FrameHeader, FrameHeaderReader } from "./frame_headers.ts";

/** Bookkeeping charged per message on top of its payload (buffers and their objects in ws and here). */
export const FRAME_OVERHEAD = 64;
/** Most fragments ws gathers into one message (its `maxFragments`, set by the hub). */
export const MAX_FRAGMENTS = 16 * 1024;

/** What a fragmented message is charged: the largest message plus the overhead of every fragment it may have. */
export function fragmentedCost(maxFrameBytes: number): number {
  return maxFrameBytes + MAX_FRAGMENTS * FRAME_OVERHEAD;
}

/** Meters one link. `hold(true)` must stop reading its socket, `hold(false)` may resume it. */
export class LinkMeter {
  readonly #budget: FrameBudget;
  readonly #maxFrameBytes: number;
  readonly #hold: (waiting: boolean) => void;
  readonly #reader = new FrameHeaderReader();
  /** Charges of messages whose last frame header was read but that ws has not handed over yet, in order. */
  readonly #complete: number[] = [];
  /** Charge of a fragmented message still arriving. */
  #partial = 0;
  #closed = false;

  constructor(budget: FrameBudget, maxFrameBytes: number, hold: (waiting: boolean) => void) {
    this.#budget = budget;
    this.#maxFrameBytes = maxFrameBytes;
    this.#hold = hold;
  }

  /** Raw bytes read from the link's socket, before ws parses them. */
  feed(chunk: Uint8Array): void {
    if (!this.#closed) this.#reader.feed(chunk, (h) => this.#header(h));
  }

  /** The charge of the message ws just handed over (messages arrive in stream order). Give it back with {@link release}. */
  nextMessage(): number {
    return this.#complete.shift() ?? 0;
  }

  /** Gives back a message's charge once the hub is done with it. */
  release(cost: number): void {
    this.#budget.give(this, cost);
  }

  /** The link closed: stop waiting and give back the charges of messages that will never be handed over. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    // what was still waiting was never granted; the rest of the unused charges is held
    const dropped = this.#budget.cancel(this);
    const unused = this.#partial + this.#complete.reduce((a, b) => a + b, 0);
    this.#partial = 0;
    this.#complete.length = 0;
    this.release(unused - dropped);
  }

  /** True while the link waits for room in the budget (its silence is then the hub's doing, not the node's). */
  get waiting(): boolean {
    return this.#budget.isWaiting(this);
  }

  #header(h: FrameHeader): void {
    if (h.opcode >= 8) return; // control frames: at most 125 bytes each, answered or dropped at once
    // ws refuses an over-size frame itself and closes the link; charging it would only delay that
    const tooBig = h.payloadBytes > this.#maxFrameBytes;
    if (h.opcode === 0) {
      if (!h.fin) return;
      this.#complete.push(this.#partial);
      this.#partial = 0;
      return;
    }
    const cost = tooBig ? 0 : h.fin ? h.payloadBytes + FRAME_OVERHEAD : fragmentedCost(this.#maxFrameBytes);
    if (h.fin) this.#complete.push(cost);
    else this.#partial += cost; // a second start before the end is a protocol error: ws closes, close() gives both back
    if (cost > 0 && !this.#budget.take(this, cost, () => this.#hold(false))) this.#hold(true);
  }
}
