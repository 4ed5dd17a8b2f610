/**
 * Link events from EdgeHub (`connected` / `disconnected` on resource `node`): on reconnect the node status goes out
 * at once instead of at the next interval. Pods keep running either way.
 *
 * @module
 */
import { Op } from "../../../model/index.ts";
import type { Handler, HandlerDeps } from "./types.ts";

/** Builds the link event handler. */
export function hubHandler(deps: HandlerDeps): Handler {
  return (msg) => {
    if (msg.route.operation === Op.connected) deps.node.nudge();
    return msg.route.operation === Op.connected || msg.route.operation === Op.disconnected;
  };
}
