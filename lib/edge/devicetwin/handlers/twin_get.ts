/**
 * `$hw/events/device/<id>/twin/get`: answers the device's twins (no versions, no deleted twins) on
 * `.../twin/get/result`, or 404 for an unknown device.
 *
 * @module
 */
import { parseBaseMessage } from "../parse_payload.ts";
import { twinResult } from "../payloads.ts";
import { TwinError } from "../twin_error.ts";
import { DELETED, toMsgTwin } from "../twin_model.ts";
import { deviceTopic, Suffix } from "../topics.ts";
import type { MsgTwin } from "../types.ts";
import { errorEffects, noEffects } from "./_effects.ts";
import type { Effects, Handler, HandlerDeps } from "./types.ts";

/** Builds the handler. */
export function makeTwinGet(deps: HandlerDeps): Handler<"twinGet"> {
  return async ({ ident, payload }): Promise<Effects> => {
    const topic = deviceTopic(ident, Suffix.getResult);
    try {
      const req = parseBaseMessage(payload, "twin get request");
      // A read-only transaction resolves once what it read is durable: never answer with a write that could be lost.
      const found = await deps.store.transaction(() => {
        const device = deps.devices.resolve(ident);
        if (!device) return undefined;
        const twin: Record<string, MsgTwin> = {};
        for (const t of device.twins.values()) if (t.type !== DELETED) twin[t.name] = toMsgTwin(t, false);
        return { id: device.id, twin };
      });
      if (!found) throw new TwinError(404, `Device ${ident} not found while getting twin`, req.event_id);
      deps.aliases.learn(found.id, ident);
      const fx = noEffects();
      fx.publish.push([topic, twinResult({ event_id: req.event_id, timestamp: Date.now() }, found.twin)]);
      return fx;
    } catch (err) {
      return errorEffects(topic, err);
    }
  };
}
