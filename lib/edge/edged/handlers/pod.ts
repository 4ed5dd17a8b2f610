/**
 * Pod messages from MetaManager: insert and update hand the pod to its worker (a deletionTimestamp starts graceful
 * termination), delete terminates it and confirms.
 *
 * @module
 */
import { Op } from "../../../model/index.ts";
import type { Pod } from "../types.ts";
import type { Handler, HandlerDeps } from "./types.ts";

/** Builds the pod handler. */
export function podHandler(deps: HandlerDeps): Handler {
  return (msg) => {
    const pod = msg.content as Pod;
    if (!pod || typeof pod !== "object" || !pod.metadata || !pod.spec) return msg.route.operation === Op.delete ? deleteByResource(deps, msg.route.resource) : false;
    switch (msg.route.operation) {
      case Op.insert:
      case Op.update:
        deps.pods.upsert(pod);
        return true;
      case Op.delete:
        deps.pods.delete(pod);
        return true;
      default:
        return false;
    }
  };
}

/** A delete without the last object still names the pod. */
function deleteByResource(deps: HandlerDeps, resource: string): boolean {
  const [namespace, , name] = resource.split("/");
  deps.pods.delete({ metadata: { namespace, name }, spec: { containers: [] } });
  return true;
}
