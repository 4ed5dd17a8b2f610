/**
 * The core/v1 Event printer: LAST SEEN TYPE REASON OBJECT MESSAGE, wide SUBOBJECT SOURCE FIRST SEEN COUNT NAME
 * (printers.go printEvent, the columns `kubectl get events` shows in 1.32).
 */
import { NAME_COLUMN, ageSince, column, type Meta } from "./_columns.ts";
import type { KindPrinter, TableCell } from "./types.ts";

interface Event {
  metadata?: Meta;
  involvedObject?: { kind?: string; name?: string; fieldPath?: string };
  reason?: string;
  message?: string;
  type?: string;
  source?: { component?: string; host?: string };
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  count?: number;
  series?: { count?: number; lastObservedTime?: string };
  reportingComponent?: string;
  reportingInstance?: string;
}

function eventCells(object: object, now: Date): TableCell[] {
  const e = object as Event;
  // Events from the events.k8s.io API carry eventTime and series instead of the first/last timestamps and count.
  const firstSeen = e.firstTimestamp ? ageSince(e.firstTimestamp, now) : ageSince(e.eventTime, now);
  let lastSeen = e.lastTimestamp ? ageSince(e.lastTimestamp, now) : firstSeen;
  let count = e.count ?? 0;
  if (e.series) {
    lastSeen = ageSince(e.series.lastObservedTime, now);
    count = e.series.count ?? 0;
  } else if (count === 0) {
    count = 1;
  }
  const kind = (e.involvedObject?.kind ?? "").toLowerCase();
  const target = e.involvedObject?.name ? `${kind}/${e.involvedObject.name}` : kind;
  const component = e.source?.component || e.reportingComponent || "";
  const instance = e.source?.host || e.reportingInstance || "";
  return [
    lastSeen,
    e.type ?? "",
    e.reason ?? "",
    target,
    e.involvedObject?.fieldPath ?? "",
    instance ? `${component}, ${instance}` : component,
    (e.message ?? "").trim(),
    firstSeen,
    count,
    e.metadata?.name ?? "",
  ];
}

/** Prints events the way the apiserver does for `kubectl get events`. */
export const eventPrinter: KindPrinter = {
  // Count carries an integer cell under a "string" type, exactly as the apiserver declares it.
  columns: [
    column("Last Seen", "Time since the event was last seen."),
    column("Type", "Normal or Warning."),
    column("Reason", "A short machine-readable reason."),
    column("Object", "The object the event is about, as kind/name."),
    column("Subobject", "The part of the object, for example a container's field path.", { wide: true }),
    column("Source", "The component (and host) that reported the event.", { wide: true }),
    column("Message", "The human-readable description."),
    column("First Seen", "Time since the event was first seen.", { wide: true }),
    column("Count", "How many times the event occurred.", { wide: true }),
    { ...NAME_COLUMN, priority: 1 },
  ],
  cells: eventCells,
};
