/**
 * sync from the cloud (lib/model/resync.ts): delete every stored object of the listed types that the cloud no longer
 * wants, ACK, and pass each deleted pod / configmap / secret to edged as a delete. Level-based: whatever was missed
 * while offline, the node ends up holding exactly the desired set.
 *
 * @module
 */
import { newMessage, Op, parseResyncContent, Source } from "../../../model/index.ts";
import { ack, forwardToEdged, type Handler, type HandlerDeps } from "./_deps.ts";

/** Makes the handler. */
export function cloudResync(d: HandlerDeps): Handler {
  return async (msg) => {
    const want = parseResyncContent(msg.content);
    const gone = d.table.absentFrom(want.types, new Set(want.keys), want.resourceVersion);
    const statuses = gone.filter((r) => r.type === "pod").map((r) => r.key.replace("/pod/", "/podstatus/"));
    await d.table.deleteKeys([...gone.map((r) => r.key), ...statuses]);
    await ack(d, msg);
    d.counters.deleted += gone.length;
    d.log.info("resync applied", { desired: want.keys.length, deleted: gone.length, types: want.types.join(",") });
    for (const row of gone) {
      const del = newMessage({ source: Source.metaManager, group: msg.route.group, operation: Op.delete, resource: row.key, content: row.value, resourceVersion: row.resourceVersion });
      await forwardToEdged(d, del, row.type);
    }
  };
}
