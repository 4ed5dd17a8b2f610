/**
 * `managedFields` entries of `Update` operations (create, update, patch other than server-side apply), as the real
 * apiserver keeps them: the writing manager takes every field it added or changed, fields it removed leave every
 * entry, and other managers lose what it took. An entry left owning nothing goes. Server-side apply keeps its own
 * entries (`server_side_apply.ts`), and the two meet here: an applier whose field an update changed no longer owns
 * it, so its next apply does not remove it.
 *
 * @module
 */
import { deepEqual, isPlainObject } from "./objects.ts";
import { fieldsV1Of } from "./server_side_apply.ts";
import type { FieldsV1, JsonValue, KubeObject, ManagedFieldsEntry } from "./types.ts";

/** Options of {@link recordUpdate}. */
export type RecordUpdateOptions = {
  /** The writer: `fieldManager`, else the client's User-Agent up to the first "/", else "unknown". */
  manager: string;
  /** The object kind, which selects the merge keys of field sets. */
  kind: string;
  /** The apiVersion the write used. */
  apiVersion: string;
  /** "status" for writes to the status subresource. */
  subresource?: string;
  /** @default the current time */
  now?: Date;
};

function flatten(set: FieldsV1, prefix: string[] = [], out: string[][] = []): string[][] {
  for (const [key, child] of Object.entries(set)) {
    if (key === "." || Object.keys(child).length === 0) out.push([...prefix, key]);
    else flatten(child, [...prefix, key], out);
  }
  return out;
}

function build(paths: readonly string[][]): FieldsV1 {
  const out: FieldsV1 = {};
  for (const path of paths) {
    let at = out;
    for (const key of path) at = at[key] ??= {};
  }
  return tidy(out);
}

/** A map that owns only its own existence is written `{}`, not `{".": {}}`, as the real apiserver writes it. */
function tidy(set: FieldsV1): FieldsV1 {
  for (const [key, child] of Object.entries(set)) {
    const keys = Object.keys(child);
    set[key] = keys.length === 1 && keys[0] === "." ? {} : tidy(child);
  }
  return set;
}

function step(container: JsonValue | undefined, key: string): JsonValue | undefined {
  if (key.startsWith("f:")) return isPlainObject(container) ? container[key.slice(2)] : undefined;
  if (!Array.isArray(container)) return undefined;
  const wanted = JSON.parse(key.slice(2)) as JsonValue;
  return key.startsWith("k:")
    ? container.find((v) => isPlainObject(v) && isPlainObject(wanted) && Object.entries(wanted).every(([k, w]) => deepEqual(v[k], w)))
    : container.find((v) => deepEqual(v, wanted));
}

function valueAt(obj: JsonValue | undefined, path: readonly string[]): JsonValue | undefined {
  let at = obj;
  for (const key of path) {
    if (key === ".") return at;
    at = step(at, key);
  }
  return at;
}

/**
 * Sets `next.metadata.managedFields` for an Update by `options.manager` that turns `prev` into `next`.
 *
 * @param prev the stored object, or undefined for a create
 * @param next the object about to be stored (changed in place)
 * @throws KubeError `InvalidPatch` when a keyed-list item lacks its merge key
 */
export function recordUpdate(prev: KubeObject | undefined, next: KubeObject, options: RecordUpdateOptions): void {
  const strip = (o: KubeObject | undefined) => {
    if (!o) return {};
    const copy = { ...o, metadata: { ...(o.metadata ?? {}) } };
    delete copy.metadata.managedFields;
    return copy;
  };
  const before = flatten(fieldsV1Of(strip(prev), options.kind));
  const after = flatten(fieldsV1Of(strip(next), options.kind));
  const had = new Set(before.map((p) => JSON.stringify(p)));
  const has = new Set(after.map((p) => JSON.stringify(p)));
  const changed = after.filter((p) => !had.has(JSON.stringify(p)) || (p[p.length - 1] !== "." && !deepEqual(valueAt(prev, p), valueAt(next, p))));
  const removed = before.filter((p) => !has.has(JSON.stringify(p)));
  const lost = new Set([...changed, ...removed].map((p) => JSON.stringify(p)));
  const entries = ((prev?.metadata?.managedFields ?? []) as ManagedFieldsEntry[]).map((e) => structuredClone(e));
  const subresource = options.subresource;
  const mine = entries.findIndex((e) => e.manager === options.manager && e.operation === "Update" && (e.subresource ?? undefined) === subresource);
  const out: ManagedFieldsEntry[] = [];
  entries.forEach((e, i) => {
    if (i === mine) {
      out.push(e);
      return;
    }
    if (lost.size === 0) return out.push(e);
    const kept = flatten(e.fieldsV1 ?? {}).filter((p) => !lost.has(JSON.stringify(p)));
    if (kept.some((p) => p[p.length - 1] !== ".")) out.push({ ...e, fieldsV1: build(kept) });
  });
  if (changed.length > 0 || removed.length > 0) {
    const own = mine >= 0 ? flatten(entries[mine]!.fieldsV1 ?? {}) : [];
    const removedKeys = new Set(removed.map((p) => JSON.stringify(p)));
    const paths = [...own.filter((p) => !removedKeys.has(JSON.stringify(p))), ...changed];
    const unique = [...new Map(paths.map((p) => [JSON.stringify(p), p])).values()];
    const at = out.findIndex((e) => e.manager === options.manager && e.operation === "Update" && (e.subresource ?? undefined) === subresource);
    if (at >= 0) out.splice(at, 1);
    if (unique.some((p) => p[p.length - 1] !== ".")) {
      out.push({
        manager: options.manager, operation: "Update", apiVersion: options.apiVersion,
        // metav1.Time has whole seconds.
        time: (options.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z"),
        fieldsType: "FieldsV1", fieldsV1: build(unique), ...(subresource ? { subresource } : {}),
      });
    }
  }
  const meta = next.metadata ?? (next.metadata = {});
  if (out.length) meta.managedFields = out;
  else delete meta.managedFields;
}
