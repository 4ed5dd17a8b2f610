/**
 * Cloud->edge routing: replies to `bus.respond`, other messages by route group to a module (KubeEdge's
 * edge routing, plus `servicebus`). Messages that carry a resourceVersion must be ACKed: MetaManager does it after
 * storing; for the other routes EdgeHub ACKs once the module's inbox has taken the message.
 *
 * @module
 */
import { errorReplyTo, Group, isReply, type Message, ModuleName, replyTo, SERVICE_BUS_GROUP, Source, STREAM_GROUP, STREAM_MODULE } from "../../model/index.ts";
import type { HubContext } from "./_context.ts";

/** Route group -> edge module. */
export const DOWNSTREAM_ROUTES: Readonly<Record<string, string>> = {
  [Group.resource]: ModuleName.metaManager,
  [Group.func]: ModuleName.metaManager,
  [Group.twin]: ModuleName.deviceTwin,
  [Group.user]: ModuleName.eventBus,
  [SERVICE_BUS_GROUP]: ModuleName.serviceBus,
  [STREAM_GROUP]: STREAM_MODULE,
};

/** Modules that ACK what they are given themselves (after storing it). */
const SELF_ACKING = new Set<string>([ModuleName.metaManager]);

/** Handles one message from the cloud; resolves once it is in the target module's inbox (backpressure). */
export async function deliverDownstream(ctx: HubContext, msg: Message): Promise<void> {
  if (isReply(msg)) {
    if (!ctx.bus.respond(msg)) ctx.log.debug("reply matches no request", { parent: msg.header.parent_msg_id, resource: msg.route.resource });
    return;
  }
  const to = Object.hasOwn(DOWNSTREAM_ROUTES, msg.route.group) ? DOWNSTREAM_ROUTES[msg.route.group] : undefined;
  if (!to || !ctx.bus.moduleNames.includes(to)) {
    ctx.counters.dropped++;
    ctx.log.warn("no module for cloud message, dropped", { group: msg.route.group, operation: msg.route.operation, resource: msg.route.resource });
    if (msg.header.sync) reply(ctx, errorReplyTo(msg, `Cannot route group "${msg.route.group}": no module ${to ?? "for it"} on node "${ctx.opts.nodeName}"`, Source.edgeHub));
    return;
  }
  if (!ctx.bus.trySend(to, msg)) await ctx.bus.send(to, msg);
  // KubeEdge's ACK is a response with parent_msg_id = the delivered message and content "OK".
  if (msg.header.resourceversion !== "" && !SELF_ACKING.has(to)) reply(ctx, replyTo(msg, "OK", Source.edgeHub));
}

function reply(ctx: HubContext, msg: Message): void {
  const link = ctx.link;
  if (!link?.isOpen) return;
  ctx.counters.out++;
  link.send(msg).catch(() => {});
}
