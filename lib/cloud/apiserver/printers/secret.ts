/** The Secret printer: NAME TYPE DATA AGE (printers.go printSecret). */
import { AGE_COLUMN, NAME_COLUMN, ageSince, column, type Meta } from "./_columns.ts";
import type { KindPrinter, TableCell } from "./types.ts";

interface Secret { metadata?: Meta; type?: string; data?: Record<string, string> }

/** Prints secrets the way the apiserver does for `kubectl get secrets`; values never reach the table. */
export const secretPrinter: KindPrinter = {
  // Data carries an integer cell under a "string" type, exactly as the apiserver declares it.
  columns: [
    NAME_COLUMN,
    column("Type", "The secret type, for example Opaque or kubernetes.io/tls."),
    column("Data", "The number of keys in data."),
    AGE_COLUMN,
  ],
  cells(object: object, now: Date): TableCell[] {
    const s = object as Secret;
    const keys = Object.keys(s.data ?? {}).length;
    return [s.metadata?.name ?? "", s.type ?? "", keys, ageSince(s.metadata?.creationTimestamp, now)];
  },
};
