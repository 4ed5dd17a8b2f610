/**
 * Small helpers over Kubernetes objects as plain JSON: identity, copying, comparing, and reaching a field by path.
 *
 * @module
 */
import type { JsonObject, JsonValue } from "./types.ts";

/**
 * Tells a JSON object (a map) apart from arrays, null and primitives.
 *
 * @param value anything
 * @returns true when `value` is a non-null, non-array object
 */
export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The store and watch key of an object: `namespace/name`, or `name` for a cluster-scoped object.
 *
 * @param obj an object with `metadata.name`
 * @returns the key
 * @throws TypeError when `metadata.name` is missing
 * @example Keys
 * ```ts
 * objectKey({ metadata: { namespace: "default", name: "web" } }); // "default/web"
 * objectKey({ metadata: { name: "edge-node-1" } }); // "edge-node-1"
 * ```
 */
export function objectKey(obj: { metadata?: { name?: string; namespace?: string } }): string {
  const name = obj.metadata?.name;
  if (typeof name !== "string" || name === "") throw new TypeError("Cannot make an object key: metadata.name is missing");
  const ns = obj.metadata?.namespace;
  return ns ? `${ns}/${name}` : name;
}

/**
 * Copies a JSON value so that changing the copy never changes the original.
 *
 * @param value a JSON value (no functions, dates or cycles)
 * @returns a structurally equal copy
 */
export function deepClone<T extends JsonValue | undefined>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => deepClone(v)) as T;
  if (isPlainObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = deepClone(v);
    return out as T;
  }
  return value;
}

/**
 * Compares two JSON values structurally. Key order of objects does not matter, array order does.
 *
 * @param a first value
 * @param b second value
 * @returns true when both hold the same data
 */
export function deepEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => deepEqual(v, b[i]));
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function splitPath(path: string | readonly string[]): readonly string[] {
  return typeof path === "string" ? path.split(".") : path;
}

/**
 * Reads a nested field. Use the array form when a key holds dots (`["metadata", "labels", "app.kubernetes.io/name"]`).
 *
 * @param obj the object to read
 * @param path dotted path (`spec.nodeName`) or its keys
 * @returns the value, or undefined when any step is missing or not an object
 */
export function getPath(obj: JsonValue | undefined, path: string | readonly string[]): JsonValue | undefined {
  let cur: JsonValue | undefined = obj;
  for (const key of splitPath(path)) {
    if (!isPlainObject(cur) || !Object.hasOwn(cur, key)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/**
 * Writes a nested field in place, creating the maps on the way.
 *
 * @param obj the object to change
 * @param path dotted path or its keys, at least one key
 * @param value the value to store
 * @throws TypeError when a step on the way holds something other than an object
 */
export function setPath(obj: JsonObject, path: string | readonly string[], value: JsonValue): void {
  const keys = splitPath(path);
  if (keys.length === 0) throw new TypeError("Cannot set a field: the path is empty");
  let cur = obj;
  for (const [i, key] of keys.slice(0, -1).entries()) {
    const next = cur[key];
    if (next === undefined) cur = cur[key] = {};
    else if (isPlainObject(next)) cur = next;
    else throw new TypeError(`Cannot set "${keys.join(".")}": "${keys.slice(0, i + 1).join(".")}" is not an object`);
  }
  cur[keys[keys.length - 1]!] = value;
}
