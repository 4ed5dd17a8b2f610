/** Renders objects as the `meta.k8s.io/v1` Table that `kubectl get` asks for. */
import type { Meta } from "./_columns.ts";
import { printerFor } from "./printer_for.ts";
import type { IncludeObject, Table, TableRow } from "./types.ts";

/** Options of {@link toTable}. */
export interface ToTableOptions {
  /**
   * The moment ages are measured against.
   * @default the current time
   */
  now?: Date;
  /**
   * What each `row.object` holds: the object's metadata as a PartialObjectMetadata, the whole object, or nothing.
   * kubectl asks for `Object` with `--sort-by`.
   * @default "Metadata"
   */
  includeObject?: IncludeObject;
  /**
   * Leave out `columnDefinitions`, as the apiserver does for watch events after the first.
   * @default false
   */
  noHeaders?: boolean;
  /** The Table's `metadata.resourceVersion`: the list's resource version, or the single object's. */
  resourceVersion?: string;
  /** The Table's `metadata.continue` token, for a paged list. */
  continue?: string;
}

const DEFAULTS = { includeObject: "Metadata", noHeaders: false } as const satisfies ToTableOptions;

function rowObject(object: object, includeObject: IncludeObject): object | undefined {
  if (includeObject === "Object") return object;
  if (includeObject === "None") return undefined;
  const metadata = (object as { metadata?: Meta }).metadata ?? {};
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata };
}

/**
 * Renders objects of one kind as a Table. Every cell is present, wide ones too: kubectl hides columns with priority 1
 * unless `-o wide`. Integer cells are JSON numbers, everything else strings.
 *
 * @param kind the kind of every object, for example "Pod"; kinds without a printer get NAME and CREATED AT
 * @param objects the objects, in the order the rows should have
 * @param options the clock, `includeObject`, `noHeaders` and the Table's resource version
 * @returns the Table, ready for JSON.stringify
 * @example A one-pod table
 * ```ts
 * const pod = { kind: "Pod", apiVersion: "v1", metadata: { name: "nginx" } };
 * const table = toTable("Pod", [pod], { resourceVersion: "7" });
 * table.rows[0].cells[0]; // "nginx"
 * ```
 */
export function toTable(kind: string, objects: readonly object[], options: ToTableOptions = {}): Table {
  const opts = { ...DEFAULTS, ...options };
  const now = opts.now ?? new Date();
  const printer = printerFor(kind);
  const rows = objects.map((object): TableRow => {
    const row: TableRow = { cells: printer.cells(object, now) };
    const conditions = printer.conditions?.(object);
    if (conditions) row.conditions = conditions;
    const included = rowObject(object, opts.includeObject);
    if (included) row.object = included;
    return row;
  });
  const metadata: Table["metadata"] = {};
  if (opts.resourceVersion !== undefined) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  const table: Table = { kind: "Table", apiVersion: "meta.k8s.io/v1", metadata, rows };
  if (!opts.noHeaders) table.columnDefinitions = printer.columns.map((c) => ({ ...c }));
  return table;
}
