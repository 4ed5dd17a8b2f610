/** The ServiceAccount printer: NAME SECRETS AGE (printers.go printServiceAccount). */
import { AGE_COLUMN, NAME_COLUMN, ageSince, column, type Meta } from "./_columns.ts";
import type { KindPrinter, TableCell } from "./types.ts";

interface ServiceAccount { metadata?: Meta; secrets?: unknown[] }

/** Prints service accounts the way the apiserver does for `kubectl get serviceaccounts`. */
export const serviceAccountPrinter: KindPrinter = {
  // Secrets carries an integer cell under a "string" type, exactly as the apiserver declares it.
  columns: [NAME_COLUMN, column("Secrets", "The number of secrets listed in secrets."), AGE_COLUMN],
  cells(object: object, now: Date): TableCell[] {
    const sa = object as ServiceAccount;
    const secrets = Array.isArray(sa.secrets) ? sa.secrets.length : 0;
    return [sa.metadata?.name ?? "", secrets, ageSince(sa.metadata?.creationTimestamp, now)];
  },
};
