/**
 * `$hw/events/device/<id>/twin/update`: a device reports actual (or sets expected) values. Stored, then answered on
 * `.../twin/update/result`, documented on `.../document`, the delta published when expected and actual differ,
 * and the change reported to the cloud as `edge_updated`.
 *
 * @module
 */
import { applyEdgeUpdate, twinDelta } from "../apply_twin_update.ts";
import { commitTwins } from "../device_cache.ts";
import { setTwinSeq, writeTwins } from "../device_dao.ts";
import { parseTwinUpdate, type TwinUpdate } from "../parse_payload.ts";
import { twinResult } from "../payloads.ts";
import { Reason, TwinError } from "../twin_error.ts";
import { deviceTopic, Suffix } from "../topics.ts";
import { edgeUpdated, errorEffects, noEffects, publishChange } from "./_effects.ts";
import type { Effects, Handler, HandlerDeps } from "./types.ts";

/** Builds the handler. */
export function makeTwinUpdate(deps: HandlerDeps): Handler<"twinUpdate"> {
  return async ({ ident, payload }): Promise<Effects> => {
    const resultTopic = deviceTopic(ident, Suffix.updateResult);
    let upd: TwinUpdate;
    try {
      upd = parseTwinUpdate(payload);
    } catch (err) {
      return errorEffects(resultTopic, err);
    }
    const now = Date.now();
    let out;
    try {
      out = await deps.store.transaction((tx) => {
        const device = deps.devices.resolve(ident);
        if (!device) throw new TwinError(404, Reason.noDevice, upd.event_id);
        const change = applyEdgeUpdate(device.twins, upd.twin, now, upd.event_id, deps.maxTwinsPerDevice);
        writeTwins(tx, device.id, change.writes.values(), device.twins);
        const seq = Object.keys(change.sync).length ? device.twinSeq + 1 : 0;
        if (seq) setTwinSeq(tx, device.id, seq);
        commitTwins(device, change.writes, seq);
        return { id: device.id, change, seq, delta: twinDelta(device.twins.values()) };
      });
    } catch (err) {
      if (!(err instanceof TwinError)) deps.log.error("cannot store twin update", { device: ident, error: String(err) });
      return errorEffects(resultTopic, err, upd.event_id);
    }
    deps.aliases.learn(out.id, ident);
    const base = { event_id: upd.event_id, timestamp: now };
    const fx = noEffects();
    fx.publish.push([resultTopic, twinResult(base, out.change.result)]);
    publishChange(fx, [ident], base, out.change, out.delta);
    if (out.seq) fx.reports.push(edgeUpdated(out.id, out.change.sync, out.seq, now));
    return fx;
  };
}
