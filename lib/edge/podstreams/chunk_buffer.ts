/**
 * Output waiting between the engine and the link, bounded, merged into frames. The engine's log API hands over one
 * chunk per line; sent one message each, a 17-byte line would cost a whole message. Chunks that arrive while a
 * frame goes out, or in the same turn of the event loop, leave together.
 *
 * @module
 */
import { setImmediate as nextTurn } from "node:timers/promises";

/** Bytes from a reader for a sender, at most `limitBytes` held. */
export class ChunkBuffer {
  readonly limitBytes: number;
  #chunks: Uint8Array[] = [];
  /** Index of the first chunk not taken yet. */
  #head = 0;
  #size = 0;
  #ended = false;
  #wakeSender: (() => void) | undefined;
  #wakeReader: (() => void) | undefined;

  constructor(limitBytes: number) {
    if (!(limitBytes >= 1)) throw new RangeError(`Cannot create chunk buffer: limit must be at least 1 byte, got ${limitBytes}`);
    this.limitBytes = limitBytes;
  }

  /** Bytes held now. */
  get size(): number {
    return this.#size;
  }

  /**
   * Adds a chunk. Ignored once ended.
   *
   * @returns a promise to wait for while the buffer is at its limit, undefined when there is room (the common case
   *   costs no await: the engine hands over hundreds of thousands of log lines)
   */
  push(chunk: Uint8Array): Promise<void> | undefined {
    if (this.#ended || chunk.byteLength === 0) return undefined;
    this.#chunks.push(chunk);
    this.#size += chunk.byteLength;
    this.#wake("sender");
    return this.#size >= this.limitBytes ? this.#room() : undefined;
  }

  async #room(): Promise<void> {
    while (this.#size >= this.limitBytes && !this.#ended) await new Promise<void>((r) => (this.#wakeReader = r));
  }

  /** No more chunks: `take` returns what is left, then undefined. A waiting `push` returns. */
  end(): void {
    this.#ended = true;
    this.#wake("sender");
    this.#wake("reader");
  }

  /**
   * Takes up to `max` bytes as one array, waiting for the first chunk and then one turn for more.
   *
   * @returns undefined once ended and drained
   */
  async take(max: number): Promise<Uint8Array | undefined> {
    while (this.#size === 0 && !this.#ended) await new Promise<void>((r) => (this.#wakeSender = r));
    if (this.#size < max && !this.#ended) await nextTurn();
    if (this.#size === 0) return undefined;
    const parts: Uint8Array[] = [];
    let n = 0;
    while (n < max && this.#head < this.#chunks.length) {
      const c = this.#chunks[this.#head];
      const want = max - n;
      if (c.byteLength <= want) {
        parts.push(c);
        this.#head++;
        n += c.byteLength;
      } else {
        parts.push(c.subarray(0, want));
        this.#chunks[this.#head] = c.subarray(want);
        n += want;
      }
    }
    if (this.#head === this.#chunks.length) {
      this.#chunks = [];
      this.#head = 0;
    }
    this.#size -= n;
    this.#wake("reader");
    return parts.length === 1 ? parts[0] : Buffer.concat(parts, n);
  }

  #wake(who: "sender" | "reader"): void {
    const w = who === "sender" ? this.#wakeSender : this.#wakeReader;
    if (who === "sender") this.#wakeSender = undefined;
    else this.#wakeReader = undefined;
    w?.();
  }
}
