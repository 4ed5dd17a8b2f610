/**
 * Table replies for any served resource: built-in kinds through `printers/`, custom resources through the
 * `additionalPrinterColumns` of their CRD (NAME plus those columns, dates as ages), or NAME / CREATED AT.
 *
 * @module
 */
import { getPath, isPlainObject, type JsonObject, type JsonValue, type KubeObject } from "../../kube/index.ts";
import { humanDuration, tableWatchEvent, toTable, type IncludeObject, type Table, type TableCell, type TableColumnDefinition, type TableRow } from "./printers/index.ts";
import type { ObjectStorage } from "./storage.ts";
import type { ResourceInfo } from "./types.ts";

/** Options of a Table reply. */
export type TableOptions = { includeObject: IncludeObject; resourceVersion?: string; noHeaders?: boolean; now?: Date };

type Column = { definition: TableColumnDefinition; path: string };

/** Reads a simple JSONPath of a printer column (`.spec.a`, `.status.b[0].c`); other forms give undefined. */
function readJsonPath(obj: KubeObject, path: string): JsonValue | undefined {
  const steps = path.replace(/^\{?\./, "").replace(/\}$/, "").split(/\.|(?=\[)/).filter((s) => s !== "");
  let cur: JsonValue | undefined = obj;
  for (const step of steps) {
    const index = /^\[(\d+)\]$/.exec(step);
    if (index) cur = Array.isArray(cur) ? cur[Number(index[1])] : undefined;
    else cur = isPlainObject(cur) ? cur[step] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

function printerColumns(storage: ObjectStorage, info: ResourceInfo, version: string): Column[] {
  if (!info.crd) return [];
  const crd = storage.get("customresourcedefinitions.apiextensions.k8s.io", "", info.crd)?.object;
  const versions = getPath(crd, "spec.versions");
  const v = Array.isArray(versions) ? versions.find((x) => isPlainObject(x) && x.name === version) : undefined;
  const cols = isPlainObject(v) && Array.isArray(v.additionalPrinterColumns) ? v.additionalPrinterColumns.filter(isPlainObject) : [];
  return cols.map((c: JsonObject) => ({
    path: String(c.jsonPath ?? ""),
    definition: {
      name: String(c.name ?? ""),
      type: (["integer", "number", "boolean", "date"].includes(String(c.type)) ? String(c.type) : "string") as TableColumnDefinition["type"],
      format: typeof c.format === "string" ? c.format : "",
      description: typeof c.description === "string" ? c.description : "",
      priority: typeof c.priority === "number" ? c.priority : 0,
    },
  }));
}

function cell(value: JsonValue | undefined, type: string, now: Date): TableCell {
  if (value === undefined || value === null) return null;
  if (type === "date" && typeof value === "string") {
    const t = Date.parse(value);
    return Number.isNaN(t) ? value : humanDuration(now.getTime() - t);
  }
  if (typeof value === "object") return JSON.stringify(value);
  return value;
}

function rowObject(obj: KubeObject, include: IncludeObject): object | undefined {
  if (include === "Object") return obj;
  if (include === "None") return undefined;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata ?? {} };
}

/**
 * Renders objects of one resource as a Table.
 *
 * @param version the version requested, whose printer columns a custom resource uses
 */
export function tableFor(storage: ObjectStorage, info: ResourceInfo, version: string, objects: readonly KubeObject[], options: TableOptions): Table {
  const columns = printerColumns(storage, info, version);
  if (columns.length === 0) return toTable(info.kind, objects, options);
  const now = options.now ?? new Date();
  const rows = objects.map((obj): TableRow => {
    const row: TableRow = { cells: [obj.metadata?.name ?? "", ...columns.map((c) => cell(readJsonPath(obj, c.path), c.definition.type, now))] };
    const included = rowObject(obj, options.includeObject);
    if (included) row.object = included;
    return row;
  });
  const table: Table = { kind: "Table", apiVersion: "meta.k8s.io/v1", metadata: {}, rows };
  if (options.resourceVersion !== undefined) table.metadata.resourceVersion = options.resourceVersion;
  if (!options.noHeaders) {
    table.columnDefinitions = [
      { name: "Name", type: "string", format: "name", description: "Name must be unique within a namespace.", priority: 0 },
      ...columns.map((c) => c.definition),
    ];
  }
  return table;
}

/** One watch event in Table form: columns on the first event only, as kubectl expects. */
export function tableEvent(
  storage: ObjectStorage, info: ResourceInfo, version: string, type: "ADDED" | "MODIFIED" | "DELETED", obj: KubeObject,
  options: { first: boolean; includeObject: IncludeObject },
): object {
  if (!info.crd) return tableWatchEvent(type, obj, { first: options.first, kind: info.kind, includeObject: options.includeObject });
  const table = tableFor(storage, info, version, [obj], {
    includeObject: options.includeObject, noHeaders: !options.first, resourceVersion: String(obj.metadata?.resourceVersion ?? ""),
  });
  return { type, object: table };
}
