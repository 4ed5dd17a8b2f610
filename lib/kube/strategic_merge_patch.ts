/**
 * Strategic merge patch as the API server applies it, the `application/strategic-merge-patch+json` patch type of
 * client-side `kubectl apply`, `kubectl patch`, `set image`, `rollout restart`, `cordon` and
 * `taint`.
 *
 * Maps merge recursively and `null` deletes a key. Lists merge by the kind's schema (`_merge_schema.ts`): keyed
 * lists merge item by item, sets of primitives take the union, all other lists are replaced. Directives:
 * `$patch: replace | delete | merge` on a map or as a keyed-list item, `$deleteFromPrimitiveList/<f>`,
 * `$setElementOrder/<f>`, `$retainKeys`. No `$` key survives into the result.
 *
 * @module
 */
import { hasMergeSchema, listStrategy, type ListStrategy } from "./_merge_schema.ts";
import { KubeError } from "./kube_error.ts";
import { jsonMergePatch } from "./merge_patch.ts";
import { deepClone, deepEqual, isPlainObject } from "./objects.ts";
import type { JsonObject, JsonValue } from "./types.ts";

const DELETED = Symbol("deleted");
type Merged = JsonValue | typeof DELETED;

const ORDER = "$setElementOrder/";
const DELETE_FROM = "$deleteFromPrimitiveList/";

/**
 * Tells whether a kind has a strategic merge schema. The API server refuses strategic merge patches of custom
 * resources with 415; {@link strategicMergePatch} falls back to a JSON merge patch for them.
 *
 * @param kind the object kind, e.g. `Deployment`
 * @returns true for the built-in kinds this library knows
 */
export function supportsStrategicMerge(kind: string): boolean {
  return hasMergeSchema(kind);
}

/**
 * Applies a strategic merge patch to an object of `kind`. The inputs are not changed. A kind without a merge schema
 * (a custom resource) gets JSON merge patch semantics.
 *
 * @param live the stored object
 * @param patch the decoded patch body
 * @param kind the object kind, e.g. `Deployment`, which selects the merge keys
 * @returns the patched object
 * @throws KubeError `InvalidPatch` when the body is not an object, a directive is unknown or malformed, or a keyed
 *   list item lacks its merge key
 * @example kubectl set image
 * ```ts
 * strategicMergePatch(deploy, { spec: { template: { spec: { containers: [{ name: "nginx", image: "nginx:1.27" }] } } } }, "Deployment");
 * ```
 */
export function strategicMergePatch(live: JsonObject, patch: JsonValue, kind: string): JsonObject {
  if (!isPlainObject(patch)) throw new KubeError("InvalidPatch", "Cannot apply strategic merge patch: the body must be a JSON object");
  if (!hasMergeSchema(kind)) return jsonMergePatch(live, patch) as JsonObject;
  const merged = mergeMap(deepClone(live), patch, "", kind);
  if (merged === DELETED) throw new KubeError("InvalidPatch", "Cannot apply strategic merge patch: \"$patch: delete\" at the root would delete the object");
  return merged;
}

function invalid(path: string, detail: string): never {
  throw new KubeError("InvalidPatch", `Cannot apply strategic merge patch at "${path || "."}": ${detail}`);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function listDirective(patch: JsonObject, key: string, path: string): JsonValue[] | undefined {
  const value = patch[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return invalid(path, `"${key}" must be a list`);
  return value;
}

/** Merges `patch` into `original`, which it may change in place (it is the caller's copy). */
function mergeMap(original: JsonObject | undefined, patch: JsonObject, path: string, kind: string): JsonObject | typeof DELETED {
  const directive = patch.$patch;
  if (directive === "delete") return DELETED;
  if (directive === "replace") {
    const { $patch: _, ...literal } = patch;
    return mergeMap(undefined, literal, path, kind);
  }
  if (directive !== undefined && directive !== "merge") invalid(path, `unknown "$patch" value ${JSON.stringify(directive)}`);
  const result = original ?? {};
  const fields = Object.keys(patch).filter((k) => !k.startsWith("$"));
  for (const key of Object.keys(patch)) {
    if (key.startsWith(ORDER) || key.startsWith(DELETE_FROM)) listDirective(patch, key, path);
    else if (key.startsWith("$") && key !== "$patch" && key !== "$retainKeys") invalid(path, `unknown directive "${key}"`);
  }
  const retain = listDirective(patch, "$retainKeys", path);
  if (retain) {
    if (!retain.every((k): k is string => typeof k === "string")) invalid(path, "\"$retainKeys\" must list field names");
    // A null clears a field, so it need not be retained (kubectl sends `rollingUpdate: null` with `$retainKeys: [type]`).
    const missing = fields.find((k) => patch[k] !== null && !retain.includes(k));
    if (missing) invalid(path, `field "${missing}" is not listed in "$retainKeys"`);
    for (const key of Object.keys(result)) if (!retain.includes(key)) delete result[key];
  }
  for (const key of Object.keys(patch).filter((k) => k.startsWith(DELETE_FROM))) {
    const field = key.slice(DELETE_FROM.length);
    const drop = listDirective(patch, key, path)!;
    const list = result[field];
    if (Array.isArray(list)) result[field] = list.filter((v) => !drop.some((d) => deepEqual(d, v)));
  }
  for (const key of fields) {
    const value = patch[key]!;
    const order = listDirective(patch, ORDER + key, path);
    const merged = value === null ? DELETED : mergeValue(result[key], value, join(path, key), kind, order);
    if (merged === DELETED) delete result[key];
    else result[key] = merged;
  }
  // An order for a list the patch does not touch still reorders the stored list.
  for (const key of Object.keys(patch).filter((k) => k.startsWith(ORDER))) {
    const field = key.slice(ORDER.length);
    const strategy = listStrategy(kind, join(path, field));
    const list = result[field];
    if (!Object.hasOwn(patch, field) && strategy && Array.isArray(list)) {
      result[field] = applyOrder(list, listDirective(patch, key, path)!, strategy);
    }
  }
  return result;
}

function mergeValue(original: JsonValue | undefined, patch: JsonValue, path: string, kind: string, order?: JsonValue[]): Merged {
  if (isPlainObject(patch)) return mergeMap(isPlainObject(original) ? original : undefined, patch, path, kind);
  if (Array.isArray(patch)) return mergeList(Array.isArray(original) ? original : undefined, patch, path, kind, order);
  return patch;
}

function mergeList(original: JsonValue[] | undefined, patch: JsonValue[], path: string, kind: string, order?: JsonValue[]): JsonValue[] {
  const strategy = listStrategy(kind, path);
  if (!strategy) {
    // An atomic list is replaced; its items are cleaned of directives and nulls like any new value.
    return patch.map((item) => mergeValue(undefined, item, path, kind)).filter((v): v is JsonValue => v !== DELETED);
  }
  let replace = false;
  const deleteKeys: JsonValue[] = [];
  const items: JsonValue[] = [];
  for (const item of patch) {
    if (!isPlainObject(item) || item.$patch === undefined) {
      items.push(item);
    } else if (item.$patch === "replace") {
      replace = true;
    } else if (item.$patch === "delete" && strategy.type === "map") {
      if (item[strategy.key] === undefined) invalid(path, `a "$patch: delete" item lacks the merge key "${strategy.key}"`);
      deleteKeys.push(item[strategy.key]!);
    } else {
      invalid(path, `unsupported list item directive "$patch: ${String(item.$patch)}"`);
    }
  }
  let result = replace ? [] : (original ?? []);
  if (strategy.type === "set") {
    for (const item of items) {
      if (isPlainObject(item) || Array.isArray(item)) invalid(path, "a list of primitives cannot hold objects or lists");
      if (!result.some((v) => deepEqual(v, item))) result.push(item);
    }
  } else {
    const keyOf = (v: JsonValue): JsonValue | undefined => (isPlainObject(v) ? v[strategy.key] : undefined);
    result = result.filter((v) => !deleteKeys.some((k) => deepEqual(k, keyOf(v))));
    for (const item of items) {
      if (!isPlainObject(item) || item[strategy.key] === undefined) invalid(path, `an item lacks the merge key "${strategy.key}"`);
      const at = result.findIndex((v) => deepEqual(keyOf(v), item[strategy.key]));
      const merged = mergeMap(at >= 0 ? (result[at] as JsonObject) : undefined, item, path, kind) as JsonObject;
      if (at >= 0) result[at] = merged;
      else result.push(merged);
    }
  }
  return order ? applyOrder(result, order, strategy) : result;
}

/**
 * Puts the items named by a `$setElementOrder` list in that order. Items it does not name keep their relative
 * order and are placed before the first named item that came after them in the merged list.
 */
function applyOrder(list: JsonValue[], order: JsonValue[], strategy: ListStrategy): JsonValue[] {
  const keyOf = (v: JsonValue): JsonValue | undefined =>
    strategy.type === "set" ? v : isPlainObject(v) ? v[strategy.key] : undefined;
  const rank = (v: JsonValue): number => order.findIndex((o) => deepEqual(keyOf(o), keyOf(v)));
  const named = list.filter((v) => rank(v) >= 0).sort((a, b) => rank(a) - rank(b));
  const out = [...named];
  let from = 0;
  for (const item of list.filter((v) => rank(v) < 0)) {
    const pos = list.indexOf(item);
    let at = from;
    while (at < out.length && list.indexOf(out[at]!) < pos) at++;
    out.splice(at, 0, item);
    from = at + 1;
  }
  return out;
}
