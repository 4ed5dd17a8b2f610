/**
 * The ReplicaSet printer: NAME DESIRED CURRENT READY AGE, wide CONTAINERS IMAGES SELECTOR
 * (printers.go printReplicaSet).
 */
import {
  AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, NAME_COLUMN, ageSince, column, formatLabelSelector, layoutContainers,
  type ContainerNameImage, type LabelSelector, type Meta,
} from "./_columns.ts";
import type { KindPrinter, TableCell } from "./types.ts";

interface ReplicaSet {
  metadata?: Meta;
  spec?: { replicas?: number; selector?: LabelSelector; template?: { spec?: { containers?: ContainerNameImage[] } } };
  status?: { replicas?: number; readyReplicas?: number };
}

function replicaSetCells(object: object, now: Date): TableCell[] {
  const rs = object as ReplicaSet;
  const [names, images] = layoutContainers(rs.spec?.template?.spec?.containers);
  const selector = formatLabelSelector(rs.spec?.selector);
  return [
    rs.metadata?.name ?? "",
    // The API defaults spec.replicas to 1, so an absent value means 1.
    rs.spec?.replicas ?? 1,
    rs.status?.replicas ?? 0,
    rs.status?.readyReplicas ?? 0,
    ageSince(rs.metadata?.creationTimestamp, now),
    names,
    images,
    selector === undefined ? "<error>" : selector || "<none>",
  ];
}

/** Prints replica sets the way the apiserver does for `kubectl get replicasets`. */
export const replicaSetPrinter: KindPrinter = {
  columns: [
    NAME_COLUMN,
    column("Desired", "The number of pods wanted (spec.replicas).", { type: "integer" }),
    column("Current", "The number of pods that exist (status.replicas).", { type: "integer" }),
    column("Ready", "The number of ready pods (status.readyReplicas).", { type: "integer" }),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    column("Selector", "The label selector of the pods the replica set manages.", { wide: true }),
  ],
  cells: replicaSetCells,
};
