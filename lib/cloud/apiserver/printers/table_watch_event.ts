/** Turns a watch event into the Table form `kubectl get -w` asks for. */
import type { Meta } from "./_columns.ts";
import { toTable } from "./to_table.ts";
import type { IncludeObject, Table } from "./types.ts";

/** A watch event type as it goes on the wire. */
export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

/** Options of {@link tableWatchEvent}. */
export interface TableWatchEventOptions {
  /**
   * Whether this is the first event of the stream: only that one carries `columnDefinitions`.
   * @default false
   */
  first?: boolean;
  /**
   * The kind to print as; when absent the object's own `kind` decides.
   * @default the object's kind
   */
  kind?: string;
  /**
   * What `row.object` holds.
   * @default "Metadata"
   */
  includeObject?: IncludeObject;
  /**
   * The moment ages are measured against.
   * @default the current time
   */
  now?: Date;
}

/** A watch event whose object became a one-row Table (or stayed a Status for ERROR events). */
export interface TableWatchEvent {
  type: WatchEventType;
  object: Table | object;
}

/**
 * Converts one watch event for a Table watch. ADDED, MODIFIED and DELETED become a Table with one row whose
 * `metadata.resourceVersion` is the object's; ERROR events keep their Status object; a BOOKMARK becomes a Table with no
 * rows that carries the bookmark's resource version.
 *
 * @param type the event type
 * @param object the event's object
 * @param options `first` for the stream's first event, plus the kind, `includeObject` and clock
 * @returns the event to serialise as one line of the watch stream
 * @example The first and the second event of a pod watch
 * ```ts
 * tableWatchEvent("ADDED", pod, { first: true }); // object.columnDefinitions present
 * tableWatchEvent("MODIFIED", pod);               // object.columnDefinitions absent
 * ```
 */
export function tableWatchEvent(
  type: WatchEventType,
  object: object,
  options: TableWatchEventOptions = {},
): TableWatchEvent {
  if (type === "ERROR") return { type, object };
  const kind = options.kind ?? (object as { kind?: string }).kind ?? "";
  const resourceVersion = (object as { metadata?: Meta }).metadata?.resourceVersion;
  const table = toTable(kind, type === "BOOKMARK" ? [] : [object], {
    noHeaders: !options.first,
    resourceVersion,
    includeObject: options.includeObject,
    now: options.now,
  });
  return { type, object: table };
}
