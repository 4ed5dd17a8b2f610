/**
 * A tiny declarative checker for JSON that comes from outside (edge reports, twin payloads): each check returns the
 * first problem as `path: expected X, got Y`, or undefined when the value fits. Only the shape the schema describes
 * is walked, so deep nesting and huge containers cost at most what the schema allows.
 *
 * @module
 */
import { isPlainObject } from "./objects.ts";

/** A check: undefined when `value` fits, else a problem naming `path`. */
export type Shape = (value: unknown, path: string) => string | undefined;

function got(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return v.length > 40 ? `a string of ${v.length} characters` : `"${v}"`;
  if (typeof v === "object") return "an object";
  return `${typeof v} ${String(v)}`;
}

/** A string of at most `max` characters (and, with `pattern`, matching it). */
export function str(max: number, pattern?: RegExp): Shape {
  return (v, path) => {
    if (typeof v !== "string") return `${path}: expected a string, got ${got(v)}`;
    if (v.length > max) return `${path}: expected at most ${max} characters, got ${v.length}`;
    if (pattern && !pattern.test(v)) return `${path}: expected to match ${pattern.source}, got ${got(v)}`;
    return undefined;
  };
}

/** An RFC 3339 time as the API writes it. */
export const time: Shape = (v, path) => {
  if (typeof v !== "string" || v.length > 40 || !/^\d{4}-\d\d-\d\dT/.test(v) || Number.isNaN(Date.parse(v))) return `${path}: expected an RFC 3339 time, got ${got(v)}`;
  return undefined;
};

/** An integer in [min, max]. */
export function int(min: number, max: number): Shape {
  return (v, path) => (Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max ? undefined : `${path}: expected an integer in [${min}, ${max}], got ${got(v)}`);
}

/** A finite number. */
export const num: Shape = (v, path) => (typeof v === "number" && Number.isFinite(v) ? undefined : `${path}: expected a number, got ${got(v)}`);

/** A boolean. */
export const bool: Shape = (v, path) => (typeof v === "boolean" ? undefined : `${path}: expected a boolean, got ${got(v)}`);

/** One of the given strings. */
export function oneOf(...values: string[]): Shape {
  return (v, path) => (typeof v === "string" && values.includes(v) ? undefined : `${path}: expected one of ${values.join("|")}, got ${got(v)}`);
}

/** Anything (for fields kept opaque); still bounded by the frame size. */
export const any: Shape = () => undefined;

/** `shape`, or null / absent. */
export function opt(shape: Shape): Shape {
  return (v, path) => (v === undefined || v === null ? undefined : shape(v, path));
}

/** An array of at most `max` items, each fitting `item`. */
export function arr(item: Shape, max: number): Shape {
  return (v, path) => {
    if (!Array.isArray(v)) return `${path}: expected an array, got ${got(v)}`;
    if (v.length > max) return `${path}: expected at most ${max} items, got ${v.length}`;
    for (let i = 0; i < v.length; i++) {
      const p = item(v[i], `${path}[${i}]`);
      if (p) return p;
    }
    return undefined;
  };
}

/** A map of at most `maxKeys` entries with keys fitting `key` and values fitting `value`. */
export function rec(key: Shape, value: Shape, maxKeys: number): Shape {
  return (v, path) => {
    if (!isPlainObject(v)) return `${path}: expected an object, got ${got(v)}`;
    const keys = Object.keys(v);
    if (keys.length > maxKeys) return `${path}: expected at most ${maxKeys} keys, got ${keys.length}`;
    for (const k of keys) {
      const p = key(k, `${path} key`) ?? value(v[k], `${path}.${k.length > 60 ? `${k.slice(0, 60)}…` : k}`);
      if (p) return p;
    }
    return undefined;
  };
}

/**
 * An object with these fields (each may be absent unless listed in `required`). Unknown fields are refused unless
 * `open` is set: what is not understood is not stored.
 */
export function obj(fields: Record<string, Shape>, options: { required?: string[]; open?: boolean } = {}): Shape {
  return (v, path) => {
    if (!isPlainObject(v)) return `${path}: expected an object, got ${got(v)}`;
    for (const r of options.required ?? []) if (v[r] === undefined || v[r] === null) return `${path}.${r}: required`;
    for (const [k, val] of Object.entries(v)) {
      const f = Object.hasOwn(fields, k) ? fields[k] : undefined;
      if (!f) {
        if (options.open) continue;
        return `${path}: unknown field ${got(k)}`;
      }
      const p = f(val, `${path}.${k}`);
      if (p) return p;
    }
    return undefined;
  };
}
