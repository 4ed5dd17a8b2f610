/**
 * A deleted edge Node is revoked: without this, the node would register again within seconds with the certificate it
 * still holds. EdgeController asks the revocation module (a bus message); that module owns the list.
 *
 * @module
 */
import type { V1Node } from "@kubernetes/client-node";
import type { Bus } from "../../core/index.ts";
import type { Logger } from "../../log/index.ts";
import { Group, ModuleName, newMessage, Op, Source } from "../../model/index.ts";
import type { EdgeKubeApi } from "./kube_api.ts";

/** What {@link onEdgeNodeDeleted} needs. */
export type NodeDeletionDeps = {
  api: EdgeKubeApi;
  bus: Bus;
  signal: AbortSignal;
  log: Logger;
  /** Called for a node that is not revoked after all (it only left the edge role, or nothing revokes here). */
  kept(node: string): void;
};

/**
 * Handles the node cache's delete event. The cache watches edge-labelled Nodes only, so a Node that merely lost the
 * label also leaves it: such a Node still exists under the same UID and is not revoked. One re-created since (a new
 * UID: the node registered again before its link closed) is revoked all the same.
 */
export async function onEdgeNodeDeleted(deps: NodeDeletionDeps, node: V1Node): Promise<void> {
  const name = node.metadata?.name;
  if (!name) return;
  if (!deps.bus.moduleNames.includes(ModuleName.revocation)) return deps.kept(name);
  const now = await deps.api.getNode(name);
  if (now && now.metadata?.uid === node.metadata?.uid) {
    deps.log.info("edge node left the edge role but was not deleted; not revoked", { node: name });
    return deps.kept(name);
  }
  const msg = newMessage({ source: Source.edgeController, group: Group.revocation, operation: Op.insert, resource: `node/${name}`, content: { reason: "node deleted" } });
  await deps.bus.send(ModuleName.revocation, msg, deps.signal);
}
