/**
 * Credit-based flow control of the pod stream protocol (`stream.ts`). The receiver of a channel grants a window of
 * bytes; the sender takes from it before each `data` frame and waits at zero; the receiver grants bytes back with a
 * `credit` frame once it has consumed them. So a stream never holds more than its window in flight or in buffers,
 * however slow the reader, and a slow reader slows only its own stream.
 *
 * @module
 */

/** Thrown by {@link SendWindow.take} once the window is closed. */
export class StreamClosedError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StreamClosedError";
  }
}

/** The sender's side: bytes it may still send. */
export class SendWindow {
  #credit: number;
  #waiters: (() => void)[] = [];
  #closed: Error | undefined;

  /** @param initial bytes granted before the first credit frame */
  constructor(initial = 0) {
    this.#credit = initial;
  }

  /** Bytes that may be sent now. */
  get credit(): number {
    return this.#credit;
  }

  /** Senders waiting for credit. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** Adds credit from the receiver and wakes waiting senders. */
  grant(bytes: number): void {
    if (!(bytes > 0)) return;
    this.#credit += bytes;
    this.#wake();
  }

  /** Ends the window: waiting and later `take` calls throw `reason`. */
  close(reason: Error = new StreamClosedError("Cannot send on stream: it is closed")): void {
    if (this.#closed) return;
    this.#closed = reason;
    this.#wake();
  }

  /**
   * Takes up to `max` bytes of credit, waiting while there is none.
   *
   * @returns the bytes taken, between 1 and `max`
   * @throws the close reason once the window is closed
   */
  async take(max: number): Promise<number> {
    if (!(max >= 1)) throw new RangeError(`Cannot take credit: max must be at least 1, got ${max}`);
    while (this.#credit === 0 || this.#closed) {
      if (this.#closed) throw this.#closed;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    const n = Math.min(max, this.#credit);
    this.#credit -= n;
    return n;
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }
}

/** The receiver's side: what the sender may still send, and when to grant consumed bytes back. */
export class ReceiveWindow {
  /** The window in bytes: the most the sender can have outstanding. */
  readonly size: number;
  #allowed: number;
  #consumed = 0;
  readonly #threshold: number;

  constructor(size: number) {
    if (!(size >= 1)) throw new RangeError(`Cannot create receive window: size must be at least 1 byte, got ${size}`);
    this.size = size;
    this.#allowed = size;
    // Granting in quarters keeps credit frames few while the sender still has three quarters to go on.
    this.#threshold = Math.max(1, Math.floor(size / 4));
  }

  /** Bytes received and not yet consumed. */
  get buffered(): number {
    return this.size - this.#allowed - this.#consumed;
  }

  /**
   * Accounts for an arriving payload.
   *
   * @returns false when the sender went past its credit (a protocol error: the caller ends the stream)
   */
  receive(bytes: number): boolean {
    if (bytes > this.#allowed) return false;
    this.#allowed -= bytes;
    return true;
  }

  /**
   * Records that `bytes` were handed on (written to the client or the process).
   *
   * @returns the credit to grant now, 0 while below a quarter of the window
   */
  consume(bytes: number): number {
    this.#consumed += bytes;
    if (this.#consumed < this.#threshold) return 0;
    const grant = this.#consumed;
    this.#allowed += grant;
    this.#consumed = 0;
    return grant;
  }
}

/**
 * Sends `bytes` as frames of at most `maxFrameBytes`, each only once the window has credit for it.
 *
 * @param send writes one frame's payload; its promise should settle once the frame is handed on (backpressure)
 * @throws the window's close reason when it closes while waiting
 */
export async function sendWithCredit(bytes: Uint8Array, window: SendWindow, maxFrameBytes: number, send: (piece: Uint8Array) => Promise<void>): Promise<void> {
  let off = 0;
  while (off < bytes.byteLength) {
    const n = await window.take(Math.min(maxFrameBytes, bytes.byteLength - off));
    await send(bytes.subarray(off, off + n));
    off += n;
  }
}
