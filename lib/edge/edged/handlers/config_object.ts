/**
 * ConfigMap, Secret and service-account token messages from MetaManager: the cache takes the new object (or forgets
 * a deleted one) and the pods that reference it are woken, so their volume files are rewritten in place and waiting
 * containers retry.
 *
 * @module
 */
import { Op } from "../../../model/index.ts";
import type { ObjectType } from "../object_source.ts";
import type { Handler, HandlerDeps } from "./types.ts";

/** Builds the handler for one of the object types. */
export function configObjectHandler(deps: HandlerDeps, type: ObjectType): Handler {
  return (msg, namespace, name) => {
    switch (msg.route.operation) {
      case Op.insert:
      case Op.update:
        deps.objects.put(namespace, type, name, msg.content ?? undefined);
        break;
      case Op.delete:
        deps.objects.put(namespace, type, name, undefined);
        break;
      default:
        return false;
    }
    deps.pods.objectChanged(namespace, type, name);
    return true;
  };
}
