/**
 * A twin as DeviceTwin holds it, its `device_twin` row (KubeEdge's table) and its payload form
 * (MsgTwin).
 *
 * @module
 */
import type { SqlValue } from "../../store/types.ts";
import type { MsgTwin, TwinVersion } from "./types.ts";

/** Twin type of a twin the device or the cloud deleted; it stays as a row so later versions still compare. */
export const DELETED = "deleted";

/** One twin. An empty or null value reads as absent, as in KubeEdge. */
export type Twin = {
  name: string;
  description: string;
  expected: string | null;
  expectedTs: number | null;
  expectedVersion: TwinVersion | null;
  actual: string | null;
  actualTs: number | null;
  actualVersion: TwinVersion | null;
  optional: boolean;
  /** The twin's value type (`attr_type` column): string, int, integer, float, boolean, or `deleted`. */
  type: string;
  /** The `metadata` column: the twin metadata without its type, as JSON. */
  metadata: string;
};

/** A `device_twin` row. */
export type TwinRow = {
  name: string;
  description: string | null;
  expected: string | null;
  actual: string | null;
  expected_meta: string | null;
  actual_meta: string | null;
  expected_version: string | null;
  actual_version: string | null;
  optional: number | null;
  attr_type: string | null;
  metadata: string | null;
};

function parseJson<T>(text: string | null): T | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/** Reads a row. */
export function twinFromRow(r: TwinRow): Twin {
  return {
    name: r.name,
    description: r.description ?? "",
    expected: r.expected,
    expectedTs: parseJson<{ timestamp?: number }>(r.expected_meta)?.timestamp ?? null,
    expectedVersion: parseJson<TwinVersion>(r.expected_version),
    actual: r.actual,
    actualTs: parseJson<{ timestamp?: number }>(r.actual_meta)?.timestamp ?? null,
    actualVersion: parseJson<TwinVersion>(r.actual_version),
    optional: r.optional !== 0,
    type: r.attr_type ?? "string",
    metadata: r.metadata ?? "{}",
  };
}

const meta = (ts: number | null) => (ts === null ? null : JSON.stringify(ts ? { timestamp: ts } : {}));
const ver = (v: TwinVersion | null) => (v === null ? null : JSON.stringify({ cloud: v.cloud, edge: v.edge }));

/** The row columns of a twin (besides `deviceid` and `name`), in the order the DAO binds them. */
export function twinColumns(t: Twin): SqlValue[] {
  return [t.description, t.expected, t.actual, meta(t.expectedTs), meta(t.actualTs), ver(t.expectedVersion), ver(t.actualVersion), t.optional ? 1 : 0, t.type, t.metadata];
}

/** A copy that can be changed without touching the original. */
export function cloneTwin(t: Twin): Twin {
  return {
    ...t,
    expectedVersion: t.expectedVersion && { ...t.expectedVersion },
    actualVersion: t.actualVersion && { ...t.actualVersion },
  };
}

function value(v: string, ts: number | null): MsgTwin["expected"] {
  return ts === null ? { value: v } : { value: v, metadata: ts ? { timestamp: ts } : {} };
}

/**
 * The payload form of a twin: values that are empty are left out, versions only when asked for. Keys come in
 * KubeEdge's order: expected, actual, optional, metadata, expected_version, actual_version.
 */
export function toMsgTwin(t: Twin, withVersions: boolean): MsgTwin {
  const out: MsgTwin = {};
  if (t.expected) out.expected = value(t.expected, t.expectedTs);
  if (t.actual) out.actual = value(t.actual, t.actualTs);
  out.optional = t.optional;
  out.metadata = t.type ? { type: t.type } : {};
  if (withVersions) {
    if (t.expectedVersion) out.expected_version = { ...t.expectedVersion };
    if (t.actualVersion) out.actual_version = { ...t.actualVersion };
  }
  return out;
}

/** A copy of a payload twin without its versions. */
export function withoutVersions(t: MsgTwin): MsgTwin {
  const { expected_version: _e, actual_version: _a, ...rest } = t;
  return rest;
}

const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity|nan)$/i;
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Checks a value against a twin type as KubeEdge does.
 *
 * @returns KubeEdge's reason text when the value does not fit, else undefined
 */
export function checkValueType(type: string, v: string): string | undefined {
  switch (type) {
    case "":
    case "string":
    case DELETED:
      return undefined;
    case "int":
    case "integer": {
      const ok = INT.test(v) && BigInt(v) <= INT64_MAX && BigInt(v) >= -INT64_MAX - 1n;
      return ok ? undefined : "the value is not int or integer";
    }
    case "float":
      return FLOAT.test(v) ? undefined : "the value is not float";
    case "boolean":
      return v === "true" || v === "false" ? undefined : "the bool value must be true or false";
    default:
      return "the value type is not allowed";
  }
}
