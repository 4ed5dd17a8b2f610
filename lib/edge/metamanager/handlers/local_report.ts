/**
 * Reports from edge modules for the cloud (see lib/edge/metamanager/index.ts): pod status, node status, pod deletion confirmed.
 * A pod status is also stored (type `podstatus`) so the periodic sync can send it again; a confirmed pod deletion
 * removes it. Then the message goes to EdgeHub, which keeps it while offline.
 *
 * @module
 */
import { Op, parseResource } from "../../../model/index.ts";
import { type Handler, type HandlerDeps, toCloud } from "./_deps.ts";

/** Makes the handler. */
export function localReport(d: HandlerDeps): Handler {
  return async (msg) => {
    const r = parseResource(msg.route.resource);
    let durable: Promise<void> | undefined;
    if (r.type === "podstatus" && r.name && msg.route.operation !== Op.delete) {
      durable = d.table.upsert(msg.route.resource, "podstatus", msg.content, "").durable;
    } else if (r.type === "pod" && r.name && msg.route.operation === Op.delete) {
      durable = d.table.deleteKeys([`${r.namespace}/podstatus/${r.name}`]);
    }
    await durable;
    d.counters.reports++;
    await toCloud(d, msg);
  };
}
