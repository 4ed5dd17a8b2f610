/**
 * insert / update / patch from the cloud: store unless stale or duplicate (compared per object by resourceVersion),
 * then ACK (always, so the cloud stops resending), then pass a stored pod / configmap / secret to edged. A patch
 * carries the whole object after patching, so it is stored like an update.
 *
 * @module
 */
import { ack, forwardToEdged, type Handler, type HandlerDeps, objectOf, versionOf } from "./_deps.ts";

/** Makes the handler. */
export function cloudUpsert(d: HandlerDeps): Handler {
  return async (msg) => {
    const { key, type } = objectOf(msg);
    if (msg.content === null || typeof msg.content !== "object") {
      throw new TypeError(`Cannot ${msg.route.operation} "${key}": content is not an object`);
    }
    const { outcome, durable } = d.table.upsert(key, type, msg.content, versionOf(msg));
    await durable;
    // Edge autonomy: stored durably before ACKed, so an ACKed object survives a crash.
    await ack(d, msg);
    if (outcome === "stored") {
      d.counters.stored++;
      await forwardToEdged(d, msg, type);
    } else if (outcome === "duplicate") {
      d.counters.duplicates++;
    } else {
      d.counters.stale++;
      d.log.debug("stale message dropped", { key, resourceVersion: versionOf(msg) });
    }
  };
}
