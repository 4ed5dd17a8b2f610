/**
 * Splits Docker's multiplexed stdio stream (used for logs and attach/exec without a terminal): each frame is an
 * 8-byte header (stream type: 0 stdin, 1 stdout, 2 stderr; three zero bytes; payload size as big-endian uint32)
 * followed by the payload. Bytes may arrive split anywhere, so the parser keeps a partial header or payload.
 *
 * @module
 */

/** A demultiplexed piece of output. `stream` is 1 for stdout, 2 for stderr. */
export type StdioFrame = { stream: number; data: Uint8Array };

const HEADER_BYTES = 8;

/** Incremental parser of the multiplexed stream: feed chunks with {@link StdioDemuxer.push}, get whole frames back. */
export class StdioDemuxer {
  #pending: Uint8Array = new Uint8Array(0);
  #stream = 0;
  #remaining = 0;

  /** Bytes held back waiting for the rest of a frame. */
  get buffered(): number {
    return this.#pending.length;
  }

  /**
   * Parses a chunk. A frame whose payload is only partly here is returned in pieces as its bytes arrive, so a long
   * line is never held back waiting for its end.
   *
   * @returns the payload pieces completed by this chunk, in order
   */
  push(chunk: Uint8Array): StdioFrame[] {
    let buf = this.#pending.length ? concat(this.#pending, chunk) : chunk;
    const out: StdioFrame[] = [];
    for (;;) {
      if (this.#remaining > 0) {
        if (buf.length === 0) break;
        const n = Math.min(this.#remaining, buf.length);
        out.push({ stream: this.#stream, data: buf.subarray(0, n) });
        this.#remaining -= n;
        buf = buf.subarray(n);
        continue;
      }
      if (buf.length < HEADER_BYTES) break;
      this.#stream = buf[0];
      this.#remaining = ((buf[4] << 24) >>> 0) + (buf[5] << 16) + (buf[6] << 8) + buf[7];
      buf = buf.subarray(HEADER_BYTES);
    }
    this.#pending = buf.length ? buf.slice() : new Uint8Array(0);
    return out;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
