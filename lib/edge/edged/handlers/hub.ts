/**
 * Link events from EdgeHub (`connected` / `disconnected` on resource `node`): on reconnect the node status goes out
 * at once instead of at the next interval, and the event recorder starts new series freely again (while offline it
 * starts only so many). Pods keep running either way.
 *
 * @module
 */
import { Op } from "../../../model/index.ts";
import type { Handler, HandlerDeps } from "./types.ts";

/** Builds the link event handler. */
export function hubHandler(deps: HandlerDeps): Handler {
  return (msg) => {
    if (msg.route.operation === Op.connected) deps.node.nudge();
    if (msg.route.operation === Op.connected || msg.route.operation === Op.disconnected) deps.linkChanged(msg.route.operation === Op.connected);
    return msg.route.operation === Op.connected || msg.route.operation === Op.disconnected;
  };
}
