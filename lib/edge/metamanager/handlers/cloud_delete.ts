/**
 * delete from the cloud: remove the object (and a pod's stored status) unless the stored object is newer, ACK, and
 * pass the delete to edged with the last stored object as content.
 *
 * @module
 */
import { ack, forwardToEdged, type Handler, type HandlerDeps, objectOf, versionOf } from "./_deps.ts";

/** Makes the handler. */
export function cloudDelete(d: HandlerDeps): Handler {
  return async (msg) => {
    const { key, type, namespace, name } = objectOf(msg);
    const { outcome, row, durable } = d.table.delete(key, versionOf(msg));
    const status = type === "pod" && outcome === "stored" ? d.table.deleteKeys([`${namespace}/podstatus/${name}`]) : undefined;
    await durable;
    await status;
    await ack(d, msg);
    if (outcome === "stale") {
      d.counters.stale++;
      return;
    }
    if (!row) return;
    d.counters.deleted++;
    await forwardToEdged(d, { ...msg, content: row.value }, type);
  };
}
