/**
 * `device/<id>/twin/cloud_updated` from DeviceController (or the same MQTT topic): expected values from the cloud,
 * applied by the version rules; the document and delta are published, refused twins reported back to the cloud.
 *
 * @module
 */
import { applyCloudUpdate, twinDelta } from "../apply_twin_update.ts";
import { commitTwins } from "../device_cache.ts";
import { setTwinSeq, writeTwins } from "../device_dao.ts";
import { parseTwinUpdate } from "../parse_payload.ts";
import { edgeUpdated, noEffects, publishChange } from "./_effects.ts";
import type { Effects, Handler, HandlerDeps } from "./types.ts";

/** Builds the handler. */
export function makeCloudUpdate(deps: HandlerDeps): Handler<"twinCloudUpdate"> {
  return async ({ ident, payload }): Promise<Effects> => {
    let upd;
    try {
      upd = parseTwinUpdate(payload);
    } catch (err) {
      deps.log.warn("bad twin update from the cloud", { device: ident, reason: (err as Error).message });
      return noEffects();
    }
    const now = Date.now();
    const out = await deps.store.transaction((tx) => {
      const device = deps.devices.resolve(ident);
      if (!device) return undefined;
      const change = applyCloudUpdate(device.twins, upd.twin, now);
      writeTwins(tx, device.id, change.writes.values(), device.twins);
      const seq = Object.keys(change.sync).length ? device.twinSeq + 1 : 0;
      if (seq) setTwinSeq(tx, device.id, seq);
      commitTwins(device, change.writes, seq);
      return { id: device.id, change, seq, delta: twinDelta(device.twins.values()) };
    });
    if (!out) {
      deps.log.warn("twin update from the cloud for an unknown device", { device: ident });
      return noEffects();
    }
    const fx = noEffects();
    publishChange(fx, deps.aliases.namesOf(out.id), { event_id: upd.event_id, timestamp: now }, out.change, out.delta);
    if (out.seq) fx.reports.push(edgeUpdated(out.id, out.change.sync, out.seq, now));
    return fx;
  };
}
