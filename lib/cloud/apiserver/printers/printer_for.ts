/** Which printer renders which kind: the registry behind toTable. */
import { configMapPrinter } from "./config_map.ts";
import { defaultPrinter } from "./default.ts";
import { deploymentPrinter } from "./deployment.ts";
import { eventPrinter } from "./event.ts";
import { leasePrinter } from "./lease.ts";
import { namespacePrinter } from "./namespace.ts";
import { nodePrinter } from "./node.ts";
import { podPrinter } from "./pod.ts";
import { replicaSetPrinter } from "./replica_set.ts";
import { secretPrinter } from "./secret.ts";
import { servicePrinter } from "./service.ts";
import { serviceAccountPrinter } from "./service_account.ts";
import type { KindPrinter } from "./types.ts";

/** The kinds with their own columns, keyed by `kind`. Other kinds, CustomResourceDefinition too, get the default. */
const PRINTERS: Readonly<Record<string, KindPrinter>> = {
  Pod: podPrinter,
  Node: nodePrinter,
  Deployment: deploymentPrinter,
  ReplicaSet: replicaSetPrinter,
  ConfigMap: configMapPrinter,
  Secret: secretPrinter,
  Namespace: namespacePrinter,
  Event: eventPrinter,
  Service: servicePrinter,
  Lease: leasePrinter,
  ServiceAccount: serviceAccountPrinter,
};

/**
 * The printer for a kind.
 *
 * @param kind the object kind, for example "Pod"
 * @returns that kind's printer, or the NAME / CREATED AT default for kinds without one
 */
export function printerFor(kind: string): KindPrinter {
  return Object.hasOwn(PRINTERS, kind) ? PRINTERS[kind] : defaultPrinter;
}
