/**
 * A small schema language for YAML config: each field knows its default, how to validate, and how to describe what
 * it expects, so an error names the key path and the expectation, and the config reference can be generated.
 *
 * @module
 */

/** A validated field. `parse` gets the raw YAML value (undefined when absent) and its key path. */
export type Field<T> = {
  readonly kind: string;
  readonly doc: string;
  readonly expected: string;
  readonly defaultText?: string;
  /** Accepted range for the reference, e.g. `1s..1h`. */
  readonly range?: string;
  parse(raw: unknown, path: string): T;
};

/** The TypeScript type a field or section produces. */
export type Infer<F> = F extends Field<infer T> ? T : never;

/** A config value that does not fit its field. `path` is the dotted key path. */
export class ConfigError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.name = "ConfigError";
    this.path = path;
  }
}

/** Longest string quoted whole in an error; longer ones are cut so a 10 MB value gives a one-line message. */
const QUOTE_MAX = 80;

function describe(v: unknown): string {
  if (typeof v === "string") {
    return v.length > QUOTE_MAX ? `${JSON.stringify(v.slice(0, QUOTE_MAX))}... (${v.length} characters)` : JSON.stringify(v);
  }
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a map";
  return String(v);
}

function fail(path: string, expected: string, got: unknown): never {
  throw new ConfigError(path, `${path}: expected ${expected}, got ${describe(got)}`);
}

/** Longest string a config value may be, unless its field says otherwise (paths are at most 4096 on Linux). */
export const MAX_STRING = 4096;

/** Checks on a string value beyond its type. */
export type StringRule = {
  /** Longest accepted value. @default MAX_STRING */
  max?: number;
  /** Extra check of the value; false makes it an error naming `expected`. */
  check?: (value: string) => boolean;
  /** What a value must look like, for errors, e.g. "a Kubernetes node name". @default "a string" */
  expected?: string;
};

/**
 * A string; `def` undefined makes it optional (undefined when absent). Numbers and booleans are refused, never
 * turned into strings: `nodeName: 5` is a mistake to report, not a name. Empty strings and NUL characters are refused.
 */
export function str(doc: string, def: string, rule?: StringRule): Field<string>;
export function str(doc: string, def?: undefined, rule?: StringRule): Field<string | undefined>;
export function str(doc: string, def?: string, rule: StringRule = {}): Field<string | undefined> {
  const max = rule.max ?? MAX_STRING;
  const expected = `${rule.expected ?? "a string"} of 1 to ${max} characters`;
  return {
    kind: "string", doc, expected, defaultText: def, range: rule.max ? `≤ ${rule.max} chars` : undefined,
    parse(raw, path) {
      if (raw === undefined || raw === null) return def;
      if (typeof raw !== "string" || raw.length === 0 || raw.length > max || raw.includes("\0")) fail(path, expected, raw);
      if (rule.check && !rule.check(raw)) fail(path, expected, raw);
      return raw;
    },
  };
}

/** Kubernetes' DNS-1123 subdomain: lower case alphanumerics, '-' and '.', starting and ending alphanumeric. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** What a node name must look like, for messages. */
export const NODE_NAME_EXPECTED = "a Kubernetes node name (lower case letters, digits, '-' and '.', starting and ending with a letter or digit)";

/** True for a valid Kubernetes node name: a DNS-1123 subdomain of at most 253 characters. */
export function isNodeName(name: string): boolean {
  return name.length > 0 && name.length <= 253 && DNS_SUBDOMAIN.test(name);
}

/** An optional Kubernetes node name. */
export function nodeName(doc: string): Field<string | undefined> {
  return str(doc, undefined, { max: 253, check: isNodeName, expected: NODE_NAME_EXPECTED });
}

/** A whole number within bounds. */
export function int(doc: string, def: number, min = 0, max = Number.MAX_SAFE_INTEGER): Field<number> {
  const expected = `a whole number from ${min} to ${max}`;
  return {
    kind: "integer", doc, expected, defaultText: String(def), range: `${min}..${max === Number.MAX_SAFE_INTEGER ? "" : max}`,
    parse(raw, path) {
      if (raw === undefined || raw === null) return def;
      if (typeof raw !== "number" || !Number.isInteger(raw) || raw < min || raw > max) fail(path, expected, raw);
      return raw;
    },
  };
}

/** true or false. */
export function bool(doc: string, def: boolean): Field<boolean> {
  return {
    kind: "boolean", doc, expected: "true or false", defaultText: String(def),
    parse(raw, path) {
      if (raw === undefined || raw === null) return def;
      if (typeof raw !== "boolean") fail(path, "true or false", raw);
      return raw;
    },
  };
}

/** One of a fixed set of strings. */
export function oneOf<const T extends string>(doc: string, values: readonly T[], def: T): Field<T> {
  const expected = `one of ${values.join(", ")}`;
  return {
    kind: "enum", doc, expected, defaultText: def,
    parse(raw, path) {
      if (raw === undefined || raw === null) return def;
      if (typeof raw !== "string" || !values.includes(raw as T)) fail(path, expected, raw);
      return raw as T;
    },
  };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `15s`, `1m30s`, `500ms`, `2h` or plain seconds into milliseconds. @returns undefined when not a duration */
export function parseDurationMs(raw: unknown): number | undefined {
  if (typeof raw === "number" && raw >= 0 && Number.isFinite(raw)) return raw * 1000;
  if (typeof raw !== "string" || raw.length > 64 || !/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(raw.trim())) return undefined;
  let total = 0;
  for (const m of raw.trim().matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(m[1]) * UNIT_MS[m[2]];
  return total;
}

/** Bounds of a duration, written like values (`1s`, `1h`). */
export type DurationRange = { min: string; max: string };

/** Range of a duration whose field names none: more than zero, at most a day. */
export const DEFAULT_DURATION_RANGE: DurationRange = { min: "1ms", max: "24h" };

/**
 * A duration in milliseconds, written as `15s`, `1m`, `500ms` or plain seconds, within `range` (inclusive). Give each
 * field the range that makes sense for it; zero is never a sane timeout or interval.
 */
export function duration(doc: string, def: string, range: DurationRange = DEFAULT_DURATION_RANGE): Field<number> {
  const [defMs, minMs, maxMs] = [def, range.min, range.max].map((d) => parseDurationMs(d)!);
  const expected = `a duration from ${range.min} to ${range.max}, such as 15s, 1m, 500ms or a number of seconds`;
  return {
    kind: "duration", doc, expected, defaultText: def, range: `${range.min}..${range.max}`,
    parse(raw, path) {
      if (raw === undefined || raw === null) return defMs;
      const ms = parseDurationMs(raw);
      if (ms === undefined || ms < minMs || ms > maxMs) fail(path, expected, raw);
      return ms;
    },
  };
}

/** `host:port`, e.g. `127.0.0.1:1884`. */
export function hostPort(doc: string, def: string): Field<{ host: string; port: number; text: string }> {
  const expected = "host:port with a port from 0 to 65535";
  const parse = (raw: unknown, path: string) => {
    const m = typeof raw === "string" && raw.length <= 300 ? /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(raw) : null;
    if (!m || Number(m[2]) > 65535) fail(path, expected, raw);
    return { host: m[1].replace(/^\[|\]$/g, ""), port: Number(m[2]), text: raw as string };
  };
  return { kind: "host:port", doc, expected, defaultText: def, parse: (raw, path) => parse(raw ?? def, path) };
}

/** A map of fields; unknown keys are errors, so a typo never passes silently. */
export function section<S extends Record<string, Field<unknown>>>(doc: string, fields: S): Field<{ [K in keyof S]: Infer<S[K]> }> & { fields: S } {
  return {
    kind: "section", doc, expected: "a map", fields,
    parse(raw, path) {
      if (raw === undefined || raw === null) raw = {};
      if (typeof raw !== "object" || Array.isArray(raw)) fail(path || "(top level)", "a map", raw);
      const obj = raw as Record<string, unknown>;
      for (const k of Object.keys(obj)) {
        if (!(k in fields)) {
          const at = path ? `${path}.${k}` : k;
          throw new ConfigError(at, `${at}: unknown key (known keys here: ${Object.keys(fields).join(", ")})`);
        }
      }
      const out: Record<string, unknown> = {};
      for (const [k, f] of Object.entries(fields)) out[k] = f.parse(obj[k], path ? `${path}.${k}` : k);
      return out as { [K in keyof S]: Infer<S[K]> };
    },
  };
}
