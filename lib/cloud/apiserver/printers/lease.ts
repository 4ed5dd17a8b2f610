/** The Lease printer: NAME HOLDER AGE (printers.go printLease). */
import { AGE_COLUMN, NAME_COLUMN, ageSince, column, type Meta } from "./_columns.ts";
import type { KindPrinter, TableCell } from "./types.ts";

interface Lease { metadata?: Meta; spec?: { holderIdentity?: string } }

/** Prints leases the way the apiserver does for `kubectl get leases`. */
export const leasePrinter: KindPrinter = {
  columns: [NAME_COLUMN, column("Holder", "The identity currently holding the lease."), AGE_COLUMN],
  cells(object: object, now: Date): TableCell[] {
    const lease = object as Lease;
    const meta = lease.metadata;
    return [meta?.name ?? "", lease.spec?.holderIdentity ?? "", ageSince(meta?.creationTimestamp, now)];
  },
};
