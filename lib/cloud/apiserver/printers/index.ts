/**
 * Server-side Table printing for the embedded API: the `meta.k8s.io/v1` Table replies that `kubectl get` (and
 * `get -w`) ask for with `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. Pods, nodes, deployments, replica
 * sets, config maps, secrets, namespaces, events, services and leases have their own columns; any other kind prints
 * NAME and CREATED AT, as a real cluster does.
 * @module
 */
export { humanDuration } from "./human_duration.ts";
export { tableWatchEvent } from "./table_watch_event.ts";
export type { TableWatchEvent, TableWatchEventOptions, WatchEventType } from "./table_watch_event.ts";
export { toTable } from "./to_table.ts";
export type { ToTableOptions } from "./to_table.ts";
export type {
  ColumnType, IncludeObject, Table, TableCell, TableColumnDefinition, TableRow, TableRowCondition,
} from "./types.ts";
