/**
 * Claiming the objects a controller manages (ReplicaSets claim pods, Deployments claim ReplicaSets): its own
 * (controller reference to it) that still match its selector, plus orphans that match, which it adopts. Its own
 * objects that no longer match are released (the reference is removed), as a real controller does.
 *
 * @module
 */
import type { KubernetesObject, V1OwnerReference } from "@kubernetes/client-node";
import { type LabelSelector, matchesLabels } from "../../kube/index.ts";
import { statusOf } from "./_kube_apis.ts";
import { controllerRefOf } from "./_owner_refs.ts";

/** How a claimed object's ownerReferences are changed (merge patches carrying the cached resourceVersion). */
export type ClaimWriter<T> = {
  /** Writes the given ownerReferences; resolves with the updated object. */
  setOwnerRefs(obj: T, refs: V1OwnerReference[]): Promise<T>;
  /**
   * Reads the owner from the API, not the cache: true when it still exists with the same uid and is not being
   * deleted. Asked once, before the first adoption, so an owner being deleted never takes back what it orphaned.
   */
  ownerStillLive(): Promise<boolean>;
};

/** A merge patch that replaces ownerReferences if the object did not change since it was read. */
export function ownerRefsPatch(obj: KubernetesObject, refs: V1OwnerReference[]): object {
  return { metadata: { ownerReferences: refs, resourceVersion: obj.metadata?.resourceVersion } };
}

/**
 * The objects the owner manages after adoption and release.
 *
 * @param ref the controller reference the owner puts on what it adopts
 * @param candidates objects of the owner's namespace
 * @param canAdopt false while the cached owner is being deleted: it then adopts nothing
 * @throws the API error of an adoption or release, except not-found and conflict (the object changed: skipped)
 */
export async function claimObjects<T extends KubernetesObject>(
  ref: V1OwnerReference, selector: LabelSelector, candidates: readonly T[], canAdopt: boolean, writer: ClaimWriter<T>,
): Promise<T[]> {
  const claimed: T[] = [];
  let live: Promise<boolean> | undefined;
  const tolerate = (e: unknown) => {
    const code = statusOf(e);
    if (code !== 404 && code !== 409) throw e;
  };
  for (const obj of candidates) {
    const current = controllerRefOf(obj);
    const matches = matchesLabels(selector, obj.metadata?.labels);
    if (current) {
      if (current.uid !== ref.uid) continue;
      if (matches) claimed.push(obj);
      else if (!obj.metadata?.deletionTimestamp) {
        const refs = (obj.metadata?.ownerReferences ?? []).filter((r) => r.uid !== ref.uid);
        await writer.setOwnerRefs(obj, refs).catch(tolerate);
      }
      continue;
    }
    if (!canAdopt || !matches || obj.metadata?.deletionTimestamp) continue;
    if (!(await (live ??= writer.ownerStillLive()))) continue;
    try {
      claimed.push(await writer.setOwnerRefs(obj, [...(obj.metadata?.ownerReferences ?? []), ref]));
    } catch (e) {
      tolerate(e);
    }
  }
  return claimed;
}
