/**
 * The resource handlers: one per operation, and the rule that picks the operation from the method and the route.
 *
 * @module
 */
import { methodNotAllowed, notFound } from "../status_error.ts";
import type { ResourceRoute } from "../route.ts";
import type { ResourceInfo } from "../types.ts";
import { bindPod } from "./binding.ts";
import type { Handler } from "./context.ts";
import { createObject } from "./create.ts";
import { deleteCollection, deleteObject } from "./delete.ts";
import { getObject } from "./get.ts";
import { listObjects } from "./list.ts";
import { podLog } from "./log.ts";
import { patchObject } from "./patch.ts";
import { scaleHandler } from "./scale.ts";
import { tokenRequest } from "./token.ts";
import { updateObject } from "./update.ts";
import { watchObjects } from "./watch.ts";

export type { ApiContext, Handler, HandlerLimits, ResourceRequest } from "./context.ts";
export { EXEC_PROTOCOLS, execOptions, serveExec } from "./exec.ts";
export { podTarget } from "./pod_target.ts";

/** The operations on served resources (exec is served on the upgrade path). */
export type Operation =
  | "list" | "watch" | "create" | "deletecollection" | "get" | "update" | "patch" | "delete" | "scale" | "binding" | "log" | "token";

/** Builds the handler table. */
export function makeHandlers(): Record<Operation, Handler> {
  return {
    list: listObjects,
    watch: watchObjects,
    create: createObject,
    deletecollection: deleteCollection,
    get: getObject,
    update: updateObject,
    patch: patchObject,
    delete: deleteObject,
    scale: scaleHandler,
    binding: bindPod,
    log: podLog,
    token: tokenRequest,
  } satisfies Record<Operation, Handler>;
}

const SUBRESOURCE_METHODS: Record<string, Record<string, Operation>> = {
  status: { GET: "get", PUT: "update", PATCH: "patch" },
  scale: { GET: "scale", PUT: "scale", PATCH: "scale" },
  binding: { POST: "binding" },
  log: { GET: "log" },
  token: { POST: "token" },
};

/**
 * The operation a request asks for.
 *
 * @throws StatusError 404 for an unserved subresource, 405 for a method the target does not take
 */
export function operationOf(method: string, route: ResourceRoute, info: ResourceInfo, watchParam: boolean): Operation {
  const what = `${route.resource}${route.subresource ? "/" + route.subresource : ""}`;
  if (route.subresource) {
    const sub = route.subresource;
    if (!(info.subresources as readonly string[]).includes(sub) || !SUBRESOURCE_METHODS[sub]) throw notFound({ group: route.group, resource: what }, route.name);
    const op = SUBRESOURCE_METHODS[sub]![method];
    if (!op) throw methodNotAllowed(method, what);
    return op;
  }
  if (route.name === undefined) {
    if (method === "GET") return watchParam || route.watchPath ? "watch" : "list";
    if (method === "POST") return "create";
    if (method === "DELETE") return "deletecollection";
    throw methodNotAllowed(method, what);
  }
  if ((route.watchPath || watchParam) && method === "GET") return "watch";
  const op = ({ GET: "get", PUT: "update", PATCH: "patch", DELETE: "delete" } as Record<string, Operation>)[method];
  if (!op) throw methodNotAllowed(method, what);
  return op;
}
