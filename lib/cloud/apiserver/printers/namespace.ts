/** The Namespace printer: NAME STATUS AGE (printers.go printNamespace). */
import { AGE_COLUMN, NAME_COLUMN, ageSince, column, type Meta } from "./_columns.ts";
import type { KindPrinter, TableCell } from "./types.ts";

interface Namespace { metadata?: Meta; status?: { phase?: string } }

/** Prints namespaces the way the apiserver does for `kubectl get namespaces`. */
export const namespacePrinter: KindPrinter = {
  columns: [NAME_COLUMN, column("Status", "The namespace phase: Active or Terminating."), AGE_COLUMN],
  cells(object: object, now: Date): TableCell[] {
    const ns = object as Namespace;
    return [ns.metadata?.name ?? "", ns.status?.phase ?? "", ageSince(ns.metadata?.creationTimestamp, now)];
  },
};
