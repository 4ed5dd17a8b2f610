/**
 * The printer for every kind without its own: NAME CREATED AT, the apiserver's default table convertor. CRDs use it
 * too, which is why `kubectl get crd` prints `NAME  CREATED AT`.
 */
import { NAME_COLUMN, column, type Meta } from "./_columns.ts";
import type { KindPrinter, TableCell } from "./types.ts";

/** Go's zero time in RFC 3339, what the apiserver prints for an object without a creationTimestamp. */
const ZERO_TIME = "0001-01-01T00:00:00Z";

/** Prints any object by name and creation time (RFC 3339, UTC, whole seconds). */
export const defaultPrinter: KindPrinter = {
  columns: [NAME_COLUMN, column("Created At", "When the object was created (creationTimestamp).", { type: "date" })],
  cells(object: object): TableCell[] {
    const meta = (object as { metadata?: Meta }).metadata;
    const at = meta?.creationTimestamp ? Date.parse(meta.creationTimestamp) : NaN;
    const created = Number.isNaN(at) ? ZERO_TIME : new Date(at).toISOString().replace(/\.\d{3}Z$/, "Z");
    return [meta?.name ?? "", created];
  },
};
