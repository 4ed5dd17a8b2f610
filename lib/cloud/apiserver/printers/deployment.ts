/**
 * The Deployment printer: NAME READY UP-TO-DATE AVAILABLE AGE, wide CONTAINERS IMAGES SELECTOR
 * (printers.go printDeployment).
 */
import {
  AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, NAME_COLUMN, ageSince, column, formatLabelSelector, layoutContainers,
  type ContainerNameImage, type LabelSelector, type Meta,
} from "./_columns.ts";
import type { KindPrinter, TableCell } from "./types.ts";

interface Deployment {
  metadata?: Meta;
  spec?: { replicas?: number; selector?: LabelSelector; template?: { spec?: { containers?: ContainerNameImage[] } } };
  status?: { readyReplicas?: number; updatedReplicas?: number; availableReplicas?: number };
}

function deploymentCells(object: object, now: Date): TableCell[] {
  const d = object as Deployment;
  // The API defaults spec.replicas to 1, so an absent value means 1.
  const desired = d.spec?.replicas ?? 1;
  const [names, images] = layoutContainers(d.spec?.template?.spec?.containers);
  return [
    d.metadata?.name ?? "",
    `${d.status?.readyReplicas ?? 0}/${desired}`,
    d.status?.updatedReplicas ?? 0,
    d.status?.availableReplicas ?? 0,
    ageSince(d.metadata?.creationTimestamp, now),
    names,
    images,
    formatLabelSelector(d.spec?.selector) ?? "<invalid>",
  ];
}

/** Prints deployments the way the apiserver does for `kubectl get deployments`. */
export const deploymentPrinter: KindPrinter = {
  // Up-to-date and Available carry integer cells under a "string" type, exactly as the apiserver declares them.
  columns: [
    NAME_COLUMN,
    column("Ready", "Ready pods out of the desired replicas."),
    column("Up-to-date", "Pods that run the latest pod template."),
    column("Available", "Pods that have been ready for at least minReadySeconds."),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    column("Selector", "The label selector of the pods the deployment manages.", { wide: true }),
  ],
  cells: deploymentCells,
};
