/**
 * `$hw/events/device/<id>/state/update`: a device reports online, offline or unknown. Stored with the time, answered
 * with DeviceMsg on `.../state/update/result` and reported to the cloud as `device/<id>/state`.
 *
 * @module
 */
import { setDeviceState } from "../device_dao.ts";
import { parseDeviceUpdate } from "../parse_payload.ts";
import { deviceMsg, freshBase, lastOnlineTime } from "../payloads.ts";
import { TwinError } from "../twin_error.ts";
import { deviceTopic, Suffix } from "../topics.ts";
import { errorEffects, noEffects, stateReport } from "./_effects.ts";
import type { Effects, Handler, HandlerDeps } from "./types.ts";

/** States a device may report (KubeEdge's, plus `ok` and `unhealthy` of later KubeEdge versions). */
export const DEVICE_STATES: ReadonlySet<string> = new Set(["online", "offline", "unknown", "ok", "unhealthy"]);

/** Builds the handler. */
export function makeStateUpdate(deps: HandlerDeps): Handler<"stateUpdate"> {
  return async ({ ident, payload }): Promise<Effects> => {
    const topic = deviceTopic(ident, Suffix.stateResult);
    let eventId = "";
    try {
      const upd = parseDeviceUpdate(payload);
      eventId = upd.event_id;
      if (!DEVICE_STATES.has(upd.state)) {
        throw new TwinError(400, `The device state must be one of ${[...DEVICE_STATES].join(", ")}, got ${JSON.stringify(upd.state)}`, eventId);
      }
      const lastOnline = lastOnlineTime();
      const out = await deps.store.transaction((tx) => {
        const device = deps.devices.resolve(ident);
        if (!device) throw new TwinError(404, `Device ${ident} not found while updating state`, eventId);
        const seq = device.stateSeq + 1;
        setDeviceState(tx, device.id, upd.state, lastOnline, seq);
        Object.assign(device, { state: upd.state, lastOnline, stateSeq: seq });
        return { id: device.id, name: device.name, seq };
      });
      deps.aliases.learn(out.id, ident);
      const body = deviceMsg(freshBase(), { name: out.name, state: upd.state, lastOnline });
      const fx = noEffects();
      fx.publish.push([topic, JSON.stringify(body)]);
      fx.reports.push(stateReport(out.id, body, out.seq));
      return fx;
    } catch (err) {
      if (!(err instanceof TwinError)) deps.log.error("cannot store device state", { device: ident, error: String(err) });
      return errorEffects(topic, err, eventId);
    }
  };
}
