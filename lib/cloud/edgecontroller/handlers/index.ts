/**
 * The upstream handler table: `<operation>:<resource type>` to handler. A key missing from the table fails to compile.
 *
 * @module
 */
import { eventHandler } from "./event.ts";
import { nodeStatusHandler } from "./node_status.ts";
import { podDeleteHandler } from "./pod_delete.ts";
import { podStatusHandler } from "./pod_status.ts";
import { queryHandler } from "./query.ts";
import type { UpstreamDeps, UpstreamHandler } from "./types.ts";

/** Every message kind a node may send to EdgeController. */
export type HandledOp =
  | "update:nodestatus" | "insert:nodestatus"
  | "update:podstatus"
  | "delete:pod"
  | "query:configmap" | "query:secret" | "query:pod" | "query:serviceaccounttoken"
  | "insert:event" | "update:event";

/** Builds the handler table. */
export function makeHandlers(deps: UpstreamDeps): Record<HandledOp, UpstreamHandler> {
  const nodeStatus = nodeStatusHandler(deps);
  const event = eventHandler(deps);
  return {
    "update:nodestatus": nodeStatus,
    "insert:nodestatus": nodeStatus,
    "update:podstatus": podStatusHandler(deps),
    "delete:pod": podDeleteHandler(deps),
    "query:configmap": queryHandler(deps, "configmap"),
    "query:secret": queryHandler(deps, "secret"),
    "query:pod": queryHandler(deps, "pod"),
    "query:serviceaccounttoken": queryHandler(deps, "serviceaccounttoken"),
    "insert:event": event,
    "update:event": event,
  } satisfies Record<HandledOp, UpstreamHandler>;
}

export { ForbiddenError, InvalidReportError } from "./types.ts";
export type { UpstreamDeps, UpstreamHandler } from "./types.ts";
