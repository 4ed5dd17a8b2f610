/**
 * The label and field selectors of list, watch and deletecollection requests, as one predicate.
 *
 * @module
 */
import {
  checkFieldSelector, KubeError, matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, type KubeObject,
} from "../../../kube/index.ts";
import { badRequest, StatusError } from "../status_error.ts";
import type { ResourceInfo } from "../types.ts";

/** Tells whether an object is selected by a request's namespace, `labelSelector` and `fieldSelector`. */
export type ObjectFilter = (obj: KubeObject) => boolean;

/**
 * Builds the filter of a request.
 *
 * @param namespace only objects of this namespace ("" for all)
 * @throws StatusError 400 for a selector that does not parse or a field the kind cannot be selected by
 */
export function requestFilter(info: ResourceInfo, namespace: string, params: URLSearchParams): ObjectFilter {
  try {
    const labels = params.get("labelSelector");
    const fields = params.get("fieldSelector");
    const ls = labels ? parseLabelSelector(labels) : undefined;
    const fs = fields ? parseFieldSelector(fields) : undefined;
    if (fs) checkFieldSelector(fs, info.kind);
    return (obj) =>
      (!namespace || obj.metadata?.namespace === namespace) &&
      (!ls || matchesLabels(ls, obj.metadata?.labels)) &&
      (!fs || matchesFields(fs, obj, info.kind));
  } catch (err) {
    if (err instanceof KubeError) throw new StatusError(err.status, err.reason, err.message, undefined, { cause: err });
    if (err instanceof SyntaxError || err instanceof TypeError) throw badRequest(`unable to parse requirement: ${err.message}`);
    throw err;
  }
}
