/**
 * A writer of the protobuf wire format, only as much as the API serves: length-delimited fields (strings and
 * nested messages), built bottom-up as byte arrays. The reader's counterpart is `proto_reader.ts`.
 *
 * @module
 */
import { WireType } from "./proto_reader.ts";

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/**
 * One length-delimited field: key, length, bytes.
 *
 * @example A string field
 * ```ts
 * lengthDelimited(1, "2.0"); // 0a 03 32 2e 30
 * ```
 */
export function lengthDelimited(field: number, value: string | Uint8Array): Uint8Array {
  const bytes = typeof value === "string" ? Buffer.from(value, "utf8") : value;
  const head = [...varint((field << 3) | WireType.lengthDelimited), ...varint(bytes.length)];
  const out = new Uint8Array(head.length + bytes.length);
  out.set(head, 0);
  out.set(bytes, head.length);
  return out;
}

/** A message from its encoded fields, in order (undefined entries are left out). */
export function message(fields: readonly (Uint8Array | undefined)[]): Uint8Array {
  return Buffer.concat(fields.filter((f): f is Uint8Array => f !== undefined));
}
