/**
 * query: `<ns>/<type>/<name>` answers the stored object; `*\/<type>` (or `<ns>/<type>`) answers the list of stored
 * objects of that type (all namespaces, or one). A local module's query for an object not stored asks the cloud
 * while linked and stores the answer; offline, or when the cloud has none, the answer is an error "not found".
 *
 * @module
 */
import { type Message, ModuleName, newMessage, Op, parseResource, Source } from "../../../model/index.ts";
import { answer, answerError, type Handler, type HandlerDeps, versionOf } from "./_deps.ts";

/** Makes the handler for queries from local modules (`fromCloud` false) or from the cloud. */
export function query(d: HandlerDeps, fromCloud: boolean): Handler {
  return async (msg) => {
    const r = parseResource(msg.route.resource);
    d.counters.queries++;
    if (!r.name) {
      const rows = d.table.list(r.type, r.namespace === "*" ? undefined : r.namespace);
      await answer(d, msg, fromCloud, rows.map((row) => row.value));
      return;
    }
    const row = d.table.get(msg.route.resource);
    if (row) return answer(d, msg, fromCloud, row.value);
    if (fromCloud || !d.link.connected) return answerError(d, msg, fromCloud, "not found");
    // Asking the cloud can take up to the remote timeout: do not hold up the messages behind this one.
    void askCloud(d, msg, r.type).catch((err) => {
      d.counters.failed++;
      d.log.warn("cannot answer query", { resource: msg.route.resource, error: err });
    });
  };
}

async function askCloud(d: HandlerDeps, msg: Message, type: string): Promise<void> {
  d.counters.remoteQueries++;
  // As KubeEdge asks: source metaManager, group meta, operation query, for an object the edge lacks.
  const req = newMessage({ source: Source.metaManager, group: "meta", operation: Op.query, resource: msg.route.resource, content: null });
  let reply: Message;
  try {
    reply = await d.bus.sendSync(ModuleName.edgeHub, req, { timeoutMs: d.remoteQueryTimeoutMs });
  } catch (err) {
    d.log.debug("cloud query failed", { resource: msg.route.resource, error: err });
    return answerError(d, msg, false, "not found");
  }
  if (reply.route.operation !== Op.response || reply.content === null || typeof reply.content !== "object") {
    return answerError(d, msg, false, "not found");
  }
  await d.table.upsert(msg.route.resource, type, reply.content, versionOf(reply)).durable;
  await answer(d, msg, false, reply.content);
}
