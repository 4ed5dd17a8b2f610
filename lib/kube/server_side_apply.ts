/**
 * Server-side apply (`kubectl apply --server-side`, patch type `application/apply-patch+yaml`).
 *
 * Where the previous applied configuration lives: in the object itself, as the real API keeps it. Each applier has
 * one `metadata.managedFields` entry `{ manager, operation: "Apply", apiVersion, time, fieldsType: "FieldsV1",
 * fieldsV1 }` whose `fieldsV1` is the field set of the configuration it applied last. A new apply:
 * 1. merges the configuration onto the live object with the merge keys of strategic merge patch (keyed lists merge
 *    by key, sets of primitives take the union, other lists and all primitives are taken from the configuration;
 *    `null` means "not set");
 * 2. removes what this manager applied last time and leaves out now, unless another `managedFields` entry still
 *    owns it: a dropped keyed-list item or set item goes whole, a dropped map loses only the fields this manager
 *    owned (and goes when that leaves it empty), a merge key stays while its item stays. Fields no entry owns
 *    (written by create, update or another patch type) are never removed; new keyed items go to the end;
 * 3. stores the new field set in the manager's entry.
 * Before merging, a field the configuration sets to a value other than the live one, and that another manager
 * owns, is a conflict: the apply fails with 409 naming each (`Apply failed with 1 conflict: conflict with "mgr"
 * using v1: .spec.replicas`), unless `force` is set, which moves those fields to the applier.
 *
 * Field sets follow the API's FieldsV1 shape: `f:<field>`, `k:{"<mergeKey>":<value>}` for keyed-list items,
 * `v:<json>` for set items, and `.` on every keyed item and every non-empty map but `metadata` (the API also leaves
 * `.` off other struct fields such as `spec`; that difference is cosmetic). `apiVersion`, `kind` and the identity
 * and system fields of `metadata` are not part of a field set.
 *
 * @module
 */
import { listStrategy } from "./_merge_schema.ts";
import { KubeError } from "./kube_error.ts";
import { deepClone, deepEqual, isPlainObject } from "./objects.ts";
import type { FieldsV1, JsonObject, JsonValue, KubeObject, ManagedFieldsEntry } from "./types.ts";

/** Options of {@link serverSideApply}. */
export type ServerSideApplyOptions = {
  /** The `fieldManager` query parameter (kubectl sends `kubectl`). */
  manager: string;
  /** The object kind, e.g. `Deployment`, which selects the merge keys. */
  kind: string;
  /** The time stamped on the manager's entry. @default the current time */
  now?: Date;
  /** `force=true`: take fields other managers own instead of failing. @default false */
  force?: boolean;
};

/** The outcome of {@link serverSideApply}. */
export type ServerSideApplyResult = {
  /** The merged object, with the manager's `managedFields` entry updated. */
  object: KubeObject;
  /** The field set now owned by the manager (also stored in its entry). */
  managerApplied: FieldsV1;
};

const SYSTEM_METADATA = new Set([
  "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
  "deletionGracePeriodSeconds", "managedFields", "selfLink",
]);

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function itemKey(item: JsonValue, mergeKey: string, path: string): string {
  if (!isPlainObject(item) || item[mergeKey] === undefined || item[mergeKey] === null) {
    throw new KubeError("InvalidPatch", `Cannot apply configuration at "${path}": an item lacks the merge key "${mergeKey}"`);
  }
  return `k:${JSON.stringify({ [mergeKey]: item[mergeKey] })}`;
}

function mapFields(obj: JsonObject, path: string, kind: string): FieldsV1 {
  const out: FieldsV1 = {};
  for (const [key, value] of Object.entries(obj)) {
    if (value === null) continue;
    if (path === "" && (key === "apiVersion" || key === "kind")) continue;
    if (path === "metadata" && SYSTEM_METADATA.has(key)) continue;
    const fields = valueFields(value, join(path, key), kind);
    if (path === "" && key === "metadata") {
      // metadata exists on every object: it holds owned fields but is never owned itself.
      delete fields["."];
      if (Object.keys(fields).length === 0) continue;
    }
    out[`f:${key}`] = fields;
  }
  return out;
}

function valueFields(value: JsonValue, path: string, kind: string): FieldsV1 {
  if (isPlainObject(value)) {
    const inner = mapFields(value, path, kind);
    return Object.keys(inner).length ? { ".": {}, ...inner } : {};
  }
  const strategy = Array.isArray(value) ? listStrategy(kind, path) : undefined;
  if (!Array.isArray(value) || !strategy) return {};
  const out: FieldsV1 = {};
  for (const item of value) {
    if (strategy.type === "set") out[`v:${JSON.stringify(item)}`] = {};
    else out[itemKey(item, strategy.key, path)] = { ".": {}, ...mapFields(item as JsonObject, path, kind) };
  }
  return out;
}

/**
 * The field set of an object in FieldsV1 form, as stored in `managedFields`. The server may use it to record
 * `Update` entries too, so that an applier never removes fields another writer set.
 *
 * @param obj the object or applied configuration
 * @param kind the object kind, which selects the merge keys
 * @returns the field set
 * @throws KubeError `InvalidPatch` when a keyed-list item lacks its merge key
 */
export function fieldsV1Of(obj: JsonObject, kind: string): FieldsV1 {
  return mapFields(obj, "", kind);
}

/** Merges `applied` onto `live` (the caller's copy, changed in place). */
function mergeApplied(live: JsonValue | undefined, applied: JsonValue, path: string, kind: string): JsonValue {
  if (isPlainObject(applied)) {
    const base = isPlainObject(live) ? live : {};
    for (const [key, value] of Object.entries(applied)) {
      if (value !== null) base[key] = mergeApplied(base[key], value, join(path, key), kind);
    }
    return base;
  }
  if (!Array.isArray(applied)) return applied;
  const strategy = listStrategy(kind, path);
  if (!strategy) return applied.map((item) => mergeApplied(undefined, item, path, kind));
  const base = Array.isArray(live) ? live : [];
  for (const item of applied) {
    if (strategy.type === "set") {
      if (!base.some((v) => deepEqual(v, item))) base.push(deepClone(item));
      continue;
    }
    itemKey(item, strategy.key, path);
    const wanted = (item as JsonObject)[strategy.key];
    const at = base.findIndex((v) => isPlainObject(v) && deepEqual(v[strategy.key], wanted));
    if (at >= 0) base[at] = mergeApplied(base[at], item, path, kind);
    else base.push(mergeApplied(undefined, item, path, kind));
  }
  return base;
}

function union(sets: readonly FieldsV1[]): FieldsV1 {
  const out: FieldsV1 = {};
  for (const set of sets) {
    for (const [key, child] of Object.entries(set)) out[key] = out[key] ? union([out[key]!, child]) : child;
  }
  return out;
}

type Location = { value: JsonValue; remove(): void };

/** Finds the part of `container` a field-set key names. */
function locate(container: JsonValue, key: string): Location | undefined {
  if (key.startsWith("f:") && isPlainObject(container)) {
    const name = key.slice(2);
    if (!Object.hasOwn(container, name)) return undefined;
    return { value: container[name]!, remove: () => delete container[name] };
  }
  if (!Array.isArray(container)) return undefined;
  const wanted = JSON.parse(key.slice(2)) as JsonValue;
  const at = key.startsWith("k:")
    ? container.findIndex((v) => isPlainObject(v) && isPlainObject(wanted) && Object.entries(wanted).every(([k, w]) => deepEqual(v[k], w)))
    : container.findIndex((v) => deepEqual(v, wanted));
  return at < 0 ? undefined : { value: container[at]!, remove: () => container.splice(at, 1) };
}

/**
 * Removes from `container` what the manager owned (`prev`) and no longer owns (`next`), unless `others` own it.
 * `keep` lists the merge-key fields of a keyed item, which stay while the item does.
 */
function prune(container: JsonValue, prev: FieldsV1, next: FieldsV1 | undefined, others: FieldsV1 | undefined, keep: readonly string[] = []): void {
  for (const [key, prevChild] of Object.entries(prev)) {
    if (key === ".") continue;
    const loc = locate(container, key);
    if (!loc) continue;
    const dropped = next?.[key] === undefined && others?.[key] === undefined;
    if (dropped && !key.startsWith("f:")) {
      loc.remove();
      continue;
    }
    const childKeep = key.startsWith("k:") ? Object.keys(JSON.parse(key.slice(2)) as JsonObject).map((k) => `f:${k}`) : [];
    if (isPlainObject(loc.value) || Array.isArray(loc.value)) prune(loc.value, prevChild, next?.[key], others?.[key], childKeep);
    // A list whose items were tracked goes only once no item is left; an atomic list or a primitive goes at once.
    const tracked = Object.keys(prevChild).some((k) => k !== ".");
    const value = loc.value;
    const emptied = isPlainObject(value) ? Object.keys(value).length === 0 : !Array.isArray(value) || !tracked || value.length === 0;
    if (dropped && emptied && !keep.includes(key)) loc.remove();
  }
}

/** The leaf paths of a field set: keys whose child owns nothing but itself. */
function leafPaths(set: FieldsV1, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [key, child] of Object.entries(set)) {
    if (key === ".") continue;
    const inner = Object.keys(child).filter((k) => k !== ".");
    if (inner.length === 0) out.push([...prefix, key]);
    else out.push(...leafPaths(child, [...prefix, key]));
  }
  return out;
}

/** Whether a field set owns any value (a map that owns only its own existence, `.`, does not count). */
function ownsAnyValue(set: FieldsV1): boolean {
  return Object.entries(set).some(([k, child]) => k !== "." && (Object.keys(child).length === 0 || ownsAnyValue(child)));
}

function hasPath(set: FieldsV1 | undefined, path: readonly string[]): boolean {
  let at = set;
  for (const key of path) {
    at = at?.[key];
    if (!at) return false;
  }
  return true;
}

function removePath(set: FieldsV1, path: readonly string[]): void {
  const [head, ...rest] = path;
  const child = set[head!];
  if (!child) return;
  if (rest.length) {
    removePath(child, rest);
    if (Object.keys(child).length) return;
  }
  delete set[head!];
}

function valueAt(obj: JsonValue | undefined, path: readonly string[]): JsonValue | undefined {
  let at: JsonValue | undefined = obj;
  for (const key of path) {
    if (at === undefined) return undefined;
    at = locate(at, key)?.value;
  }
  return at;
}

/** `.spec.containers[name="nginx"].image`: a field-set path as the API prints it in conflicts. */
function printPath(path: readonly string[]): string {
  return path.map((key) => {
    if (key.startsWith("f:")) return `.${key.slice(2)}`;
    const v = JSON.parse(key.slice(2)) as JsonValue;
    if (key.startsWith("k:") && isPlainObject(v)) return `[${Object.entries(v).map(([k, x]) => `${k}=${JSON.stringify(x)}`).join(",")}]`;
    return `[=${JSON.stringify(v)}]`;
  }).join("");
}

type Conflict = { entry: number; path: string[] };

function conflicts(live: KubeObject | undefined, config: KubeObject, next: FieldsV1, entries: readonly ManagedFieldsEntry[], mine: number): Conflict[] {
  if (!live) return [];
  const out: Conflict[] = [];
  for (const path of leafPaths(next)) {
    const wanted = valueAt(config, path);
    // An empty map in the configuration only says the map exists; it sets no value another manager could own.
    if (isPlainObject(wanted) || deepEqual(valueAt(live, path), wanted)) continue;
    entries.forEach((e, i) => {
      if (i !== mine && !e.subresource && hasPath(e.fieldsV1, path)) out.push({ entry: i, path });
    });
  }
  return out;
}

function conflictError(found: readonly Conflict[], entries: readonly ManagedFieldsEntry[]): KubeError {
  // An Update manager is named with the version it wrote in; an applier by name only (as the real API words it).
  const who = (e: ManagedFieldsEntry) => `${JSON.stringify(e.manager)}${e.operation === "Update" && e.apiVersion ? ` using ${e.apiVersion}` : ""}`;
  const causes = found.map((c) => ({ reason: "FieldManagerConflict", message: `conflict with ${who(entries[c.entry]!)}`, field: printPath(c.path) }));
  if (found.length === 1) return new KubeError("ApplyConflict", `Apply failed with 1 conflict: ${causes[0]!.message}: ${causes[0]!.field}`, { causes });
  const byManager = new Map<string, string[]>();
  for (const c of found) {
    const name = who(entries[c.entry]!);
    byManager.set(name, [...(byManager.get(name) ?? []), printPath(c.path)]);
  }
  const groups = [...byManager.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, paths]) => `conflicts with ${name}:\n${paths.map((p) => `- ${p}`).join("\n")}`);
  return new KubeError("ApplyConflict", `Apply failed with ${found.length} conflicts: ${groups.join("\n")}`, { causes });
}

/**
 * Applies a configuration the way the API server's server-side apply does.
 *
 * @param live the stored object, or undefined when the apply creates it (the server answers 201 then)
 * @param applied the decoded request body (kubectl sends the whole manifest as JSON)
 * @param options the field manager and the kind
 * @returns the new object and the manager's field set; the inputs are not changed
 * @throws KubeError `InvalidPatch` when a keyed-list item lacks its merge key, `ApplyConflict` (409) when it would
 *   change fields another manager owns and `force` is not set
 * @example Apply twice; the second apply drops a key
 * ```ts
 * const first = serverSideApply(undefined, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg" }, data: { a: "1", b: "2" } }, { manager: "kubectl", kind: "ConfigMap" });
 * serverSideApply(first.object, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg" }, data: { a: "1" } }, { manager: "kubectl", kind: "ConfigMap" }).object.data; // { a: "1" }
 * ```
 */
export function serverSideApply(live: KubeObject | undefined, applied: KubeObject, options: ServerSideApplyOptions): ServerSideApplyResult {
  const { manager, kind, now = new Date() } = options;
  const config = deepClone(applied);
  if (isPlainObject(config.metadata)) delete config.metadata.managedFields;
  const next = fieldsV1Of(config, kind);
  const entries = [...((live?.metadata?.managedFields ?? []) as ManagedFieldsEntry[])];
  let mine = entries.findIndex((e) => e.manager === manager && e.operation === "Apply" && !e.subresource);
  const prev = mine >= 0 ? entries[mine]!.fieldsV1 : undefined;
  const found = conflicts(live, config, next, entries, mine);
  if (found.length && !options.force) throw conflictError(found, entries);
  // Forced: the fields move to this manager; an entry left owning nothing goes.
  for (const c of found) {
    const e = entries[c.entry]!;
    const fields = structuredClone(e.fieldsV1 ?? {});
    removePath(fields, c.path);
    entries[c.entry] = { ...e, fieldsV1: fields };
  }
  for (let i = entries.length - 1; i >= 0; i--) {
    if (i !== mine && found.some((c) => c.entry === i) && !ownsAnyValue(entries[i]!.fieldsV1 ?? {})) {
      entries.splice(i, 1);
      if (i < mine) mine--;
    }
  }
  const others = union(entries.filter((_, i) => i !== mine).map((e) => e.fieldsV1 ?? {}));
  const object = mergeApplied(deepClone(live ?? {}), config, "", kind) as KubeObject;
  if (prev) prune(object, prev, next, others);
  const entry: ManagedFieldsEntry = {
    manager,
    operation: "Apply",
    ...(typeof config.apiVersion === "string" ? { apiVersion: config.apiVersion } : {}),
    // metav1.Time has whole seconds.
    time: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
    fieldsType: "FieldsV1",
    fieldsV1: next,
  };
  if (mine >= 0) entries[mine] = entry;
  else entries.push(entry);
  const metadata = isPlainObject(object.metadata) ? object.metadata : (object.metadata = {});
  metadata.managedFields = entries;
  return { object, managerApplied: next };
}
