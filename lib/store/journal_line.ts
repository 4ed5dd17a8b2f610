/**
 * The journal's line format. Every line is `<crc32 hex, 8 chars> <JSON payload>\n`; JSON escapes newlines, so a
 * line never contains one. The first line of a journal file is its header, `{"journal":1,"generation":N}`; every
 * other line is one committed transaction, a JSON array of statements `[sql]` or `[sql, params]`. Parameter values
 * JSON cannot carry are tagged: a Uint8Array becomes `{"$blob":"<base64>"}`, a non-finite number
 * `{"$num":"Infinity"}` (also `-Infinity`, `NaN`). No other parameter value is an object, so tags are unambiguous.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { crc32Hex } from "./_crc32.ts";
import type { SqlParams, SqlValue } from "./types.ts";

/** One journalled statement, as replay runs it. */
export type JournalStatement = [sql: string] | [sql: string, params: SqlParams];

const JOURNAL_FORMAT = 1;
const CRC_CHARS = 8;

type Tagged = SqlValue | { $blob: string } | { $num: string };

function needsTag(v: unknown): boolean {
  return (typeof v === "object" && v !== null) || (typeof v === "number" && !Number.isFinite(v));
}

function tag(v: SqlValue): Tagged {
  if (v instanceof Uint8Array) return { $blob: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") };
  if (typeof v === "number" && !Number.isFinite(v)) return { $num: String(v) };
  return v;
}

function untag(v: Tagged): SqlValue {
  if (typeof v !== "object" || v === null || v instanceof Uint8Array) return v;
  if ("$blob" in v) return new Uint8Array(Buffer.from(v.$blob, "base64"));
  return Number(v.$num);
}

/**
 * The JSON of one statement, ready to join into a transaction payload. `sqlJson` is `JSON.stringify(sql)`, which
 * callers cache per statement so the SQL text is escaped once, not once per commit.
 *
 * @throws TypeError when a parameter cannot be represented (a bigint, a function)
 */
export function encodeStatement(sqlJson: string, params?: SqlParams): string {
  if (params === undefined) return `[${sqlJson}]`;
  let json: string;
  if (Array.isArray(params)) {
    json = JSON.stringify(params.some(needsTag) ? params.map(tag) : params);
  } else {
    const values = Object.values(params);
    if (!values.some(needsTag)) json = JSON.stringify(params);
    else {
      const tagged: Record<string, Tagged> = {};
      for (const [k, v] of Object.entries(params)) tagged[k] = tag(v);
      json = JSON.stringify(tagged);
    }
  }
  return `[${sqlJson},${json}]`;
}

/** A whole journal line (checksum, payload, newline) for a transaction made of encoded statements. */
export function encodeEntry(statements: string[]): string {
  return encodeLine(`[${statements.join(",")}]`);
}

/** The header line that opens a journal of `generation`. */
export function encodeHeader(generation: number): string {
  return encodeLine(JSON.stringify({ journal: JOURNAL_FORMAT, generation }));
}

function encodeLine(payload: string): string {
  return `${crc32Hex(payload)} ${payload}\n`;
}

/** The payload of a line (without its newline) when its checksum holds, else undefined. */
export function verifyLine(line: string): string | undefined {
  if (line.length < CRC_CHARS + 1 || line.charCodeAt(CRC_CHARS) !== 0x20) return undefined;
  const payload = line.slice(CRC_CHARS + 1);
  return crc32Hex(payload) === line.slice(0, CRC_CHARS) ? payload : undefined;
}

/** The generation named by a verified header payload, or undefined when it is no header of a known format. */
export function decodeHeader(payload: string): number | undefined {
  try {
    const h = JSON.parse(payload) as { journal?: unknown; generation?: unknown };
    return h.journal === JOURNAL_FORMAT && Number.isSafeInteger(h.generation) ? (h.generation as number) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The statements of a verified entry payload, with tagged values restored.
 *
 * @throws SyntaxError when the payload is not JSON (a checksum collision on damaged data)
 */
export function decodeEntry(payload: string): JournalStatement[] {
  const statements = JSON.parse(payload) as Array<[string, Tagged[] | Record<string, Tagged>]>;
  if (!Array.isArray(statements)) throw new SyntaxError(`Cannot decode journal entry: not an array`);
  return statements.map(([sql, params]): JournalStatement => {
    if (params === undefined) return [sql];
    if (Array.isArray(params)) return [sql, params.some(needsTag) ? params.map(untag) : (params as SqlValue[])];
    const out: Record<string, SqlValue> = {};
    for (const [k, v] of Object.entries(params)) out[k] = untag(v);
    return [sql, out];
  });
}
