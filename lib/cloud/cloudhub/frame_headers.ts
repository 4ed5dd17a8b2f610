/**
 * Reads the websocket frame headers (2 to 14 bytes: flags, opcode, length, mask) out of a link's byte stream as it
 * arrives, skipping payloads, so the hub knows how big a frame is before its payload is read. It only observes: ws still parses and validates
 * every frame, and closes the link on a bad one.
 *
 * @module
 */

/** What a frame header says. */
export type FrameHeader = {
  /** Last frame of its message. */
  fin: boolean;
  /** 0 continuation, 1 text, 2 binary, 8 and up control frames. */
  opcode: number;
  /** Payload length announced (capped at Number.MAX_SAFE_INTEGER). */
  payloadBytes: number;
};

/** Longest header: 2 bytes, 8 bytes of extended length, 4 bytes of mask key. */
const MAX_HEADER = 14;

/** A parser that is fed raw chunks and reports each header once it is complete. Never throws on any input. */
export class FrameHeaderReader {
  readonly #head = Buffer.alloc(MAX_HEADER);
  #headLen = 0;
  /** Payload bytes of the current frame still to skip. */
  #skip = 0;

  /** Feeds one chunk; `onHeader` runs for every header completed in it, in stream order. */
  feed(chunk: Uint8Array, onHeader: (h: FrameHeader) => void): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, chunk.length - i);
        this.#skip -= n;
        i += n;
        continue;
      }
      this.#head[this.#headLen++] = chunk[i++]!;
      const need = headerLength(this.#head, this.#headLen);
      if (need === undefined || this.#headLen < need) continue;
      const h = parse(this.#head);
      this.#headLen = 0;
      this.#skip = h.payloadBytes;
      onHeader(h);
    }
  }
}

/** The full header length once its first two bytes are known. */
function headerLength(b: Buffer, have: number): number | undefined {
  if (have < 2) return undefined;
  const len7 = b[1]! & 0x7f;
  const ext = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
  const mask = b[1]! & 0x80 ? 4 : 0;
  return 2 + ext + mask;
}

function parse(b: Buffer): FrameHeader {
  const len7 = b[1]! & 0x7f;
  let payloadBytes = len7;
  if (len7 === 126) payloadBytes = b.readUInt16BE(2);
  else if (len7 === 127) payloadBytes = Math.min(Number(b.readBigUInt64BE(2)), Number.MAX_SAFE_INTEGER);
  return { fin: (b[0]! & 0x80) !== 0, opcode: b[0]! & 0x0f, payloadBytes };
}
