/** A reader of the protobuf wire format: tags, varints, fixed 32/64-bit values and length-delimited fields. */
import { ProtobufDecodeError } from "./protobuf_decode_error.ts";

/**
 * The protobuf wire types, the low 3 bits of a field key. The two group markers are deprecated: Kubernetes never
 * writes them, but a reader can still skip them.
 */
export const WireType = { varint: 0, fixed64: 1, lengthDelimited: 2, startGroup: 3, endGroup: 4, fixed32: 5 } as const;

/** A varint holds at most 64 bits, so at most 10 bytes of 7 bits each. */
const MAX_VARINT_BYTES = 10;

/** Reads one protobuf message from a byte array, front to back. */
export class ProtoReader {
  #bytes: Uint8Array;
  #pos = 0;
  #path: string;

  /**
   * @param bytes the message's bytes (a view is fine; nothing is copied)
   * @param path where this message sits in the object, for error messages (for example "spec.template")
   */
  constructor(bytes: Uint8Array, path = "") {
    this.#bytes = bytes;
    this.#path = path;
  }

  /** True once every byte has been read. */
  get done(): boolean {
    return this.#pos >= this.#bytes.length;
  }

  #fail(detail: string): never {
    const where = this.#path ? `"${this.#path}" ` : "";
    throw new ProtobufDecodeError("MALFORMED", `message ${where}${detail} at byte ${this.#pos}`);
  }

  /** Reads a field key: the field number and its wire type. */
  readTag(): { field: number; wireType: number } {
    const key = this.readVarint();
    const field = Number(key >> 3n);
    if (field === 0) this.#fail("has field number 0");
    return { field, wireType: Number(key & 7n) };
  }

  /** Reads a base-128 varint as an unsigned 64-bit value. */
  readVarint(): bigint {
    let value = 0n;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      if (this.#pos >= this.#bytes.length) this.#fail("has a truncated varint");
      const byte = this.#bytes[this.#pos++];
      value |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, value);
    }
    this.#fail("has a varint longer than 10 bytes");
  }

  /** Reads a length-delimited field's payload, as a view into the same buffer. */
  readBytes(): Uint8Array {
    const length = this.readVarint();
    if (length > BigInt(this.#bytes.length - this.#pos)) this.#fail(`has a length of ${length} past the end`);
    const start = this.#pos;
    this.#pos += Number(length);
    return this.#bytes.subarray(start, this.#pos);
  }

  #readFixed(size: 4 | 8): DataView {
    if (this.#pos + size > this.#bytes.length) this.#fail(`has a truncated ${size * 8}-bit value`);
    const view = new DataView(this.#bytes.buffer, this.#bytes.byteOffset + this.#pos, size);
    this.#pos += size;
    return view;
  }

  /** Reads a little-endian fixed 32-bit value, unsigned. */
  readFixed32(): number {
    return this.#readFixed(4).getUint32(0, true);
  }

  /** Reads a little-endian fixed 64-bit value, unsigned. */
  readFixed64(): bigint {
    return this.#readFixed(8).getBigUint64(0, true);
  }

  /**
   * Skips the value of a field this reader's caller does not know.
   *
   * @param wireType the wire type from the field's tag
   * @param field the field number, to match a group's end marker
   * @throws ProtobufDecodeError `MALFORMED` for an unknown wire type or a group that never ends
   */
  skip(wireType: number, field: number): void {
    switch (wireType) {
      case WireType.varint: this.readVarint(); return;
      case WireType.fixed64: this.readFixed64(); return;
      case WireType.lengthDelimited: this.readBytes(); return;
      case WireType.fixed32: this.readFixed32(); return;
      case WireType.startGroup:
        for (;;) {
          if (this.done) this.#fail(`has group ${field} without its end`);
          const tag = this.readTag();
          if (tag.wireType === WireType.endGroup) {
            if (tag.field !== field) this.#fail(`ends group ${tag.field} inside group ${field}`);
            return;
          }
          this.skip(tag.wireType, tag.field);
        }
      default:
        this.#fail(`has field ${field} with wire type ${wireType}`);
    }
  }
}
