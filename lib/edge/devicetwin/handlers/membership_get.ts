/**
 * `$hw/events/node/<node>/membership/get`: lists the node's devices with their attributes (no twins) on
 * `.../membership/get/result`.
 *
 * @module
 */
import { parseBaseMessage } from "../parse_payload.ts";
import { membershipGetResult } from "../payloads.ts";
import { nodeTopic, Suffix } from "../topics.ts";
import type { DeviceJson } from "../types.ts";
import { errorEffects, noEffects } from "./_effects.ts";
import type { Effects, Handler, HandlerDeps } from "./types.ts";

/** Builds the handler. */
export function makeMembershipGet(deps: HandlerDeps): Handler<"membershipGet"> {
  return async ({ node, payload }): Promise<Effects> => {
    const topic = nodeTopic(node, Suffix.membershipGetResult);
    try {
      const req = parseBaseMessage(payload, "membership get request");
      // read-only: resolves once the state read is durable
      const devices = await deps.store.transaction(() =>
        deps.devices.list().map((d): DeviceJson => ({
          id: d.id, name: d.name, description: d.description, state: d.state, last_online: d.lastOnline, attributes: { ...d.attrs },
        })));
      const fx = noEffects();
      fx.publish.push([topic, membershipGetResult({ event_id: req.event_id, timestamp: Date.now() }, devices)]);
      return fx;
    } catch (err) {
      return errorEffects(topic, err);
    }
  };
}
