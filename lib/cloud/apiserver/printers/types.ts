/**
 * The `meta.k8s.io/v1` Table wire types and the contract every per-kind printer implements.
 * @module
 */

/** One value in a Table row: kubectl prints strings and numbers as they are; `null` prints as `<none>`. */
export type TableCell = string | number | boolean | null;

/** How kubectl should treat a column's cells; `date` cells are RFC 3339 strings. */
export type ColumnType = "string" | "integer" | "number" | "boolean" | "date";

/** One column header of a Table, as the apiserver sends it. */
export interface TableColumnDefinition {
  name: string;
  type: ColumnType;
  /** `name` marks the column that holds the object name; otherwise empty. */
  format: string;
  description: string;
  /** 0 for the default view; 1 for columns kubectl shows only with `-o wide`. */
  priority: number;
}

/** A row condition: the apiserver marks finished pods with `Completed`. */
export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** One object rendered as cells, plus the object (or its metadata) for kubectl's NAMESPACE, LABELS and `-L` columns. */
export interface TableRow {
  cells: TableCell[];
  conditions?: TableRowCondition[];
  object?: object;
}

/** A `meta.k8s.io/v1` Table; `columnDefinitions` is absent on watch events after the first. */
export interface Table {
  kind: "Table";
  apiVersion: "meta.k8s.io/v1";
  metadata: { resourceVersion?: string; continue?: string };
  columnDefinitions?: TableColumnDefinition[];
  rows: TableRow[];
}

/** What `row.object` holds: kubectl's `?includeObject=` query parameter. */
export type IncludeObject = "Object" | "Metadata" | "None";

/** Renders one kind: its columns and, for one object, the cells in the same order (wide cells included). */
export interface KindPrinter {
  columns: readonly TableColumnDefinition[];
  /**
   * @param object the stored object of this kind
   * @param now the moment ages are measured against
   */
  cells(object: object, now: Date): TableCell[];
  /** Extra row conditions, for kinds that have them. */
  conditions?(object: object): TableRowCondition[] | undefined;
}
