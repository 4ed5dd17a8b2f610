/** The ConfigMap printer: NAME DATA AGE (printers.go printConfigMap). */
import { AGE_COLUMN, NAME_COLUMN, ageSince, column, type Meta } from "./_columns.ts";
import type { KindPrinter, TableCell } from "./types.ts";

interface ConfigMap { metadata?: Meta; data?: Record<string, string>; binaryData?: Record<string, string> }

/** Prints config maps the way the apiserver does for `kubectl get configmaps`. */
export const configMapPrinter: KindPrinter = {
  // Data carries an integer cell under a "string" type, exactly as the apiserver declares it.
  columns: [NAME_COLUMN, column("Data", "The number of keys in data and binaryData."), AGE_COLUMN],
  cells(object: object, now: Date): TableCell[] {
    const cm = object as ConfigMap;
    const keys = Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length;
    return [cm.metadata?.name ?? "", keys, ageSince(cm.metadata?.creationTimestamp, now)];
  },
};
