/**
 * ownerReferences helpers: which object controls another, and the reference a controller puts on what it creates.
 *
 * @module
 */
import type { KubernetesObject, V1OwnerReference } from "@kubernetes/client-node";

/** The reference with `controller: true`, if any. */
export function controllerRefOf(obj: KubernetesObject): V1OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** True when `owner` is the controller of `obj`. */
export function isControlledBy(obj: KubernetesObject, owner: KubernetesObject): boolean {
  const ref = controllerRefOf(obj);
  return ref !== undefined && ref.uid === owner.metadata?.uid;
}

/** The controller reference to put on an object the owner creates or adopts (it blocks the owner's foreground deletion). */
export function newControllerRef(owner: KubernetesObject, apiVersion: string, kind: string): V1OwnerReference {
  return { apiVersion, kind, name: owner.metadata!.name!, uid: owner.metadata!.uid!, controller: true, blockOwnerDeletion: true };
}
