/**
 * The patch computations of PATCH requests: JSON patch, JSON merge patch and strategic merge patch
 * over a stored object, with lib/kube's request errors turned into Status errors.
 *
 * @module
 */
import {
  applyJsonPatch, isPlainObject, jsonMergePatch, KubeError, strategicMergePatch, type JsonValue, type KubeObject,
} from "../../kube/index.ts";
import { badRequest, StatusError } from "./status_error.ts";
import type { ResourceInfo } from "./types.ts";

/** The patch content types. */
export const PATCH_TYPES = {
  json: "application/json-patch+json",
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  apply: "application/apply-patch+yaml",
} as const;

/** The patch types a resource accepts: custom resources have no strategic merge patch, as on a real cluster. */
export function acceptedPatchTypes(info: ResourceInfo): string[] {
  return info.crd
    ? [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.apply]
    : [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.strategic, PATCH_TYPES.apply];
}

/**
 * Runs a lib/kube helper, turning its request errors into Status errors.
 *
 * @throws StatusError with the helper's status for a KubeError (422 with the real generic text for a failed JSON
 *   patch), 400 for malformed input
 */
export function kubeCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    // A JSON patch that fails (a `test` that does not hold, a path that is not there) gets the real apiserver's
    // generic text and empty details; the precise reason stays on the error's cause for the log.
    if (err instanceof KubeError && err.code === "PatchFailed") {
      throw new StatusError(422, "Invalid", "the server rejected our request due to an error in our request", {}, { cause: err });
    }
    if (err instanceof KubeError) throw new StatusError(err.status, err.reason, err.message, err.causes ? { causes: err.causes } : undefined, { cause: err });
    if (err instanceof SyntaxError || err instanceof TypeError) throw badRequest(err.message);
    throw err;
  }
}

/**
 * Applies a JSON, merge or strategic merge patch to a copy of `live`.
 *
 * @throws StatusError 400 for a malformed patch or a result that is not an object, 422 for a JSON patch that fails
 */
export function patchedObject(info: ResourceInfo, live: KubeObject, contentType: string, patch: JsonValue): KubeObject {
  const base = structuredClone(live);
  const out = kubeCall(() => {
    if (contentType === PATCH_TYPES.json) return applyJsonPatch(base, patch);
    if (contentType === PATCH_TYPES.merge) return jsonMergePatch(base, patch);
    return strategicMergePatch(base, patch, info.kind);
  });
  if (!isPlainObject(out)) throw badRequest("the patch result is not an object");
  return out as KubeObject;
}
