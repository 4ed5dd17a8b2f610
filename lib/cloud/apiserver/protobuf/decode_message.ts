/** Decodes one protobuf message into the JSON object Kubernetes would write for it, driven by a field table. */
import { Buffer } from "node:buffer";
import { ProtoReader, WireType } from "./proto_reader.ts";
import { ProtobufDecodeError } from "./protobuf_decode_error.ts";
import { pointer, type FieldSpec, type FieldType, type MessageSpec } from "./schema.ts";

const utf8 = new TextDecoder();

const TIMESTAMP: MessageSpec = { 1: pointer("seconds", "int64"), 2: pointer("nanos", "int32") };
const INT_OR_STRING: MessageSpec = {
  1: pointer("type", "int64"),
  2: pointer("intVal", "int32"),
  3: pointer("strVal", "string"),
};
const SINGLE_STRING: MessageSpec = { 1: pointer("value", "string") };
const SINGLE_BYTES: MessageSpec = { 1: pointer("value", "bytes") };

/** IntOrString's `type` value for a string. */
const INT_OR_STRING_STRING = 1;

function isZero(value: unknown): boolean {
  if (value === "" || value === 0 || value === false) return true;
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

function expectWire(actual: number, expected: number, path: string): void {
  if (actual !== expected) {
    throw new ProtobufDecodeError("MALFORMED", `field "${path}" has wire type ${actual}, expected ${expected}`);
  }
}

/** RFC 3339 in UTC; `fractionDigits` 0 for metav1.Time, 6 for metav1.MicroTime. */
function formatTime(bytes: Uint8Array, path: string, fractionDigits: 0 | 6): string | undefined {
  // An empty message is Go's zero time, which JSON carries as null: leave the field out.
  if (bytes.length === 0) return undefined;
  const t = decodeMessage(bytes, TIMESTAMP, path) as { seconds?: number; nanos?: number };
  const whole = new Date((t.seconds ?? 0) * 1000).toISOString().slice(0, 19);
  if (fractionDigits === 0) return `${whole}Z`;
  const micros = Math.trunc((t.nanos ?? 0) / 1000);
  return `${whole}.${String(micros).padStart(6, "0")}Z`;
}

function readValue(reader: ProtoReader, wireType: number, type: FieldType, path: string): unknown {
  if (type === "bool" || type === "int32" || type === "int64") {
    expectWire(wireType, WireType.varint, path);
    const raw = reader.readVarint();
    if (type === "bool") return raw !== 0n;
    // Negative int32 values are sign-extended to 64 bits on the wire.
    return Number(BigInt.asIntN(type === "int32" ? 32 : 64, raw));
  }
  expectWire(wireType, WireType.lengthDelimited, path);
  const bytes = reader.readBytes();
  switch (type) {
    case "string": return utf8.decode(bytes);
    case "bytes": return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("base64");
    case "time": return formatTime(bytes, path, 0);
    case "microTime": return formatTime(bytes, path, 6);
    case "quantity": return (decodeMessage(bytes, SINGLE_STRING, path) as { value?: string }).value ?? "";
    case "intOrString": {
      const v = decodeMessage(bytes, INT_OR_STRING, path) as { type?: number; intVal?: number; strVal?: string };
      return v.type === INT_OR_STRING_STRING ? (v.strVal ?? "") : (v.intVal ?? 0);
    }
    case "fieldsV1": {
      const raw = (decodeMessage(bytes, SINGLE_BYTES, path) as { value?: string }).value ?? "";
      try {
        return JSON.parse(Buffer.from(raw, "base64").toString("utf8") || "{}");
      } catch (cause) {
        throw new ProtobufDecodeError("MALFORMED", `field "${path}" does not hold JSON: ${(cause as Error).message}`);
      }
    }
    default: return decodeMessage(bytes, type, path);
  }
}

function readMapEntry(reader: ProtoReader, wireType: number, f: FieldSpec, path: string): [string, unknown] {
  expectWire(wireType, WireType.lengthDelimited, path);
  const entry = decodeMessage(reader.readBytes(), { 1: pointer("key", "string"), 2: pointer("value", f.type) }, path);
  // A map entry may leave out a zero key or value.
  return [String(entry.key ?? ""), entry.value ?? zeroOf(f.type)];
}

/** The JSON zero value of a type, for map entries that leave their value out. */
function zeroOf(type: FieldType): unknown {
  if (typeof type === "object") return {};
  if (type === "bool") return false;
  if (type === "int32" || type === "int64" || type === "intOrString") return 0;
  return "";
}

/**
 * Decodes a protobuf message with a field table. Unknown field numbers are skipped; zero values of non-pointer fields
 * are left out, as Kubernetes' JSON `omitempty` would.
 *
 * @param bytes the message's bytes
 * @param spec the message's field table
 * @param path where the message sits, for error messages
 * @returns the message as a JSON-ready object
 * @throws ProtobufDecodeError `MALFORMED` when the bytes do not fit the wire format or the table's wire types
 */
export function decodeMessage(bytes: Uint8Array, spec: MessageSpec, path = ""): Record<string, unknown> {
  const reader = new ProtoReader(bytes, path);
  const out: Record<string, unknown> = {};
  while (!reader.done) {
    const { field, wireType } = reader.readTag();
    const f = Object.hasOwn(spec, field) ? spec[field] : undefined;
    if (!f) {
      reader.skip(wireType, field);
      continue;
    }
    const fieldPath = path ? `${path}.${f.name}` : f.name;
    if (f.shape === "map") {
      const [key, value] = readMapEntry(reader, wireType, f, fieldPath);
      ((out[f.name] ??= {}) as Record<string, unknown>)[key] = value;
      continue;
    }
    const value = readValue(reader, wireType, f.type, fieldPath);
    if (f.shape === "repeated") {
      ((out[f.name] ??= []) as unknown[]).push(value);
    } else if (f.inline) {
      Object.assign(out, value);
    } else if (value === undefined || (!f.keepZero && isZero(value))) {
      delete out[f.name];
    } else {
      out[f.name] = value;
    }
  }
  return out;
}
