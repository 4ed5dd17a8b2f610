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

function describe(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a map";
  return String(v);
}

function fail(path: string, expected: string, got: unknown): never {
  throw new ConfigError(path, `${path}: expected ${expected}, got ${describe(got)}`);
}

/** A string; `def` undefined makes it optional (undefined when absent). */
export function str(doc: string, def: string): Field<string>;
export function str(doc: string): Field<string | undefined>;
export function str(doc: string, def?: string): Field<string | undefined> {
  return {
    kind: "string", doc, expected: "a string", defaultText: def,
    parse(raw, path) {
      if (raw === undefined || raw === null) return def;
      if (typeof raw !== "string" && typeof raw !== "number") fail(path, "a string", raw);
      return String(raw);
    },
  };
}

/** A whole number within bounds. */
export function int(doc: string, def: number, min = 0, max = Number.MAX_SAFE_INTEGER): Field<number> {
  const expected = `a whole number from ${min} to ${max}`;
  return {
    kind: "integer", doc, expected, defaultText: String(def),
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
  if (typeof raw !== "string" || !/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(raw.trim())) return undefined;
  let total = 0;
  for (const m of raw.trim().matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(m[1]) * UNIT_MS[m[2]];
  return total;
}

/** A duration in milliseconds, written as `15s`, `1m`, `500ms` or plain seconds. */
export function duration(doc: string, def: string): Field<number> {
  const expected = "a duration such as 15s, 1m, 500ms or a number of seconds";
  const defMs = parseDurationMs(def)!;
  return {
    kind: "duration", doc, expected, defaultText: def,
    parse(raw, path) {
      if (raw === undefined || raw === null) return defMs;
      const ms = parseDurationMs(raw);
      if (ms === undefined) fail(path, expected, raw);
      return ms;
    },
  };
}

/** `host:port`, e.g. `127.0.0.1:1884`. */
export function hostPort(doc: string, def: string): Field<{ host: string; port: number; text: string }> {
  const expected = "host:port with a port from 0 to 65535";
  const parse = (raw: unknown, path: string) => {
    const m = typeof raw === "string" ? /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(raw) : null;
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
