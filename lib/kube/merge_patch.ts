/**
 * JSON merge patch (RFC 7386), the `application/merge-patch+json` patch type: `kubectl label`, `annotate`,
 * `patch --type=merge`, and `scale` on `/scale`.
 *
 * @module
 */
import { deepClone, isPlainObject } from "./objects.ts";
import type { JsonObject, JsonValue } from "./types.ts";

/**
 * Applies a JSON merge patch: objects merge key by key, `null` removes a key, anything else (arrays included)
 * replaces the target value. The inputs are not changed.
 *
 * @param target the current document; undefined when absent
 * @param patch the merge patch
 * @returns the patched document
 * @example Add a label, drop an annotation
 * ```ts
 * jsonMergePatch({ metadata: { labels: { a: "1" }, annotations: { x: "y" } } },
 *   { metadata: { labels: { b: "2" }, annotations: { x: null } } });
 * // { metadata: { labels: { a: "1", b: "2" }, annotations: {} } }
 * ```
 */
export function jsonMergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isPlainObject(patch)) return deepClone(patch);
  const result: JsonObject = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = jsonMergePatch(result[key], value);
  }
  // Untouched members are shared with `target` above; clone them so the result owns all of its data.
  for (const key of Object.keys(result)) if (!Object.hasOwn(patch, key)) result[key] = deepClone(result[key]!);
  return result;
}
