/**
 * The periodic pod status sync: while linked, every stored pod status is sent to the cloud again, so a status the
 * cloud missed (or lost in a restart) is repaired within one interval.
 *
 * @module
 */
import { Group, newMessage, Op, Source } from "../../model/index.ts";
import { type HandlerDeps, toCloud } from "./handlers/index.ts";

/** Sends every stored pod status to the cloud. @returns how many were sent */
export async function syncPodStatuses(d: HandlerDeps): Promise<number> {
  if (!d.link.connected) return 0;
  const rows = d.table.list("podstatus");
  for (const row of rows) {
    // As KubeEdge sends it: update <ns>/podstatus/<pod> with {UID, Name, Status}.
    await toCloud(d, newMessage({ source: Source.metaManager, group: Group.meta, operation: Op.update, resource: row.key, content: row.value }));
  }
  return rows.length;
}
