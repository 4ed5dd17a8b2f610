/**
 * The Node printer: NAME STATUS ROLES AGE VERSION, wide INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION
 * CONTAINER-RUNTIME (printers.go printNode).
 */
import { AGE_COLUMN, NAME_COLUMN, ageSince, column, type Meta } from "./_columns.ts";
import type { KindPrinter, TableCell } from "./types.ts";

interface Node {
  metadata?: Meta;
  spec?: { unschedulable?: boolean };
  status?: {
    conditions?: { type: string; status: string }[];
    addresses?: { type: string; address: string }[];
    nodeInfo?: { kubeletVersion?: string; osImage?: string; kernelVersion?: string; containerRuntimeVersion?: string };
  };
}

const ROLE_LABEL_PREFIX = "node-role.kubernetes.io/";
const ROLE_LABEL = "kubernetes.io/role";

/** Sorted, de-duplicated roles from `node-role.kubernetes.io/<role>` keys and the `kubernetes.io/role` value. */
function nodeRoles(labels: Record<string, string>): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(labels)) {
    if (key.startsWith(ROLE_LABEL_PREFIX)) {
      const role = key.slice(ROLE_LABEL_PREFIX.length);
      if (role) roles.add(role);
    } else if (key === ROLE_LABEL && value) {
      roles.add(value);
    }
  }
  return [...roles].sort();
}

function firstAddress(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? "<none>";
}

function nodeCells(object: object, now: Date): TableCell[] {
  const node = object as Node;
  // A later condition of the same type replaces an earlier one, as the map in printers.go does.
  let ready: string | undefined;
  for (const c of node.status?.conditions ?? []) if (c.type === "Ready") ready = c.status;
  const status = [ready === undefined ? "Unknown" : ready === "True" ? "Ready" : "NotReady"];
  if (node.spec?.unschedulable) status.push("SchedulingDisabled");
  const roles = nodeRoles(node.metadata?.labels ?? {});
  const info = node.status?.nodeInfo ?? {};
  return [
    node.metadata?.name ?? "",
    status.join(","),
    roles.length > 0 ? roles.join(",") : "<none>",
    ageSince(node.metadata?.creationTimestamp, now),
    info.kubeletVersion ?? "",
    firstAddress(node, "InternalIP"),
    firstAddress(node, "ExternalIP"),
    info.osImage || "<unknown>",
    info.kernelVersion || "<unknown>",
    info.containerRuntimeVersion || "<unknown>",
  ];
}

/** Prints nodes the way the apiserver does for `kubectl get nodes`. */
export const nodePrinter: KindPrinter = {
  columns: [
    NAME_COLUMN,
    column("Status", "Ready, NotReady or Unknown from the Ready condition, plus SchedulingDisabled when cordoned."),
    column("Roles", "Roles from the node-role.kubernetes.io/ labels."),
    AGE_COLUMN,
    column("Version", "The kubelet version the node reports."),
    column("Internal-IP", "The node's first InternalIP address.", { wide: true }),
    column("External-IP", "The node's first ExternalIP address.", { wide: true }),
    column("OS-Image", "The operating system image the node reports.", { wide: true }),
    column("Kernel-Version", "The kernel version the node reports.", { wide: true }),
    column("Container-Runtime", "The container runtime and its version.", { wide: true }),
  ],
  cells: nodeCells,
};
