/**
 * connected / disconnected from EdgeHub: whether a missing object may be asked of the cloud.
 *
 * @module
 */
import type { Handler, HandlerDeps } from "./_deps.ts";

/** Makes the handler for one of the two events. */
export function hubEvent(d: HandlerDeps, connected: boolean): Handler {
  return async () => {
    d.link.connected = connected;
  };
}
