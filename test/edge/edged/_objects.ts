/**
 * An ObjectSource over a real Bus whose "metamanager" answers queries from a Map, for unit tests of env and volumes.
 */
import { Bus, type ModuleContext } from "../../../lib/core/index.ts";
import { ObjectSource } from "../../../lib/edge/edged/object_source.ts";
import { silentLogger } from "../../../lib/log/index.ts";
import { errorReplyTo, replyTo } from "../../../lib/model/index.ts";

/** Starts a bus serving `objects` (keys `<ns>/<type>/<name>`). */
export async function objectSource(objects: Record<string, unknown>): Promise<{ objects: ObjectSource; close(): Promise<void> }> {
  const bus = new Bus({ log: silentLogger });
  bus.register({
    name: "metamanager",
    group: "meta",
    async start(ctx: ModuleContext) {
      for await (const m of ctx.inbox) {
        const o = objects[m.route.resource];
        ctx.bus.respond(o === undefined ? errorReplyTo(m, "not found") : replyTo(m, o));
      }
    },
  });
  await bus.start();
  return { objects: new ObjectSource({ bus, queryTimeoutMs: 2000 }), close: () => bus.stop() };
}
