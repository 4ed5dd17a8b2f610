/**
 * What CloudHub does with messages and link events: cloud messages to their node (prefix stripped, tracked when
 * versioned), edge messages to cloud modules (prefix added, routed by group, replies to `bus.respond`), and the
 * connected / disconnected announcements.
 *
 * @module
 */
import { type Bus, LogThrottle } from "../../core/index.ts";
import type { Logger } from "../../log/index.ts";
import {
  errorReplyTo,
  fromCloudResource,
  Group,
  isReply,
  type Message,
  ModuleName,
  newMessage,
  Op,
  Source,
  toCloudResource,
} from "../../model/index.ts";
import type { Delivery } from "./delivery.ts";
import type { HandshakeRefusal } from "./handshake.ts";
import { CloseCode, type HubEvents, type HubServer } from "./hub_server.ts";
import type { CounterSet } from "./link_counters.ts";
import type { NodeSession } from "./node_session.ts";
import { upstreamTarget } from "./upstream.ts";

/** Routes between the cloud bus and the node links. */
export class Router implements HubEvents {
  readonly #server: HubServer;
  readonly #delivery: Delivery;
  readonly #counters: CounterSet;
  readonly #log: Logger;
  readonly #refusalLog = new LogThrottle(10_000);
  #bus: Bus | undefined;
  #modules = new Set<string>();
  /** Upgrades refused by the handshake steps. */
  refused = 0;

  constructor(server: HubServer, delivery: Delivery, counters: CounterSet, log: Logger) {
    this.#server = server;
    this.#delivery = delivery;
    this.#counters = counters;
    this.#log = log;
  }

  /** Starts routing on `bus` (its module list is fixed once the bus runs). */
  bind(bus: Bus): void {
    this.#bus = bus;
    this.#modules = new Set(bus.moduleNames);
  }

  /** A cloud module's message for a node: strip `node/<name>/`, then deliver (tracked when it has a version). */
  toEdge(msg: Message): void {
    let target;
    try {
      target = fromCloudResource(msg.route.resource);
    } catch (err) {
      this.#log.warn("message without node dropped", { source: msg.route.source, resource: msg.route.resource });
      if (msg.header.sync) this.#bus?.respond(errorReplyTo(msg, (err as Error).message, Source.cloudHub));
      return;
    }
    const { node, resource } = target;
    const session = this.#server.session(node);
    if (msg.header.sync && !session) {
      this.#counters.add(node, "dropped");
      this.#bus?.respond(errorReplyTo(msg, `Cannot reach node "${node}": not connected`, Source.cloudHub));
      return;
    }
    // The same object may have gone to several modules (sendToGroup): copy before rewriting the route.
    const edgeMsg: Message = { ...msg, route: { ...msg.route, resource } };
    this.#delivery.send(node, edgeMsg, session, () => session?.close(CloseCode.resync, "too many unacknowledged messages"));
  }

  /** An edge message to its cloud module. @returns when it waited for room on the bus: settles once it got in */
  message(session: NodeSession, msg: Message): void | Promise<void> {
    const node = session.node;
    this.#counters.add(node, "in");
    if (msg.route.operation === Op.keepalive) return;
    msg.route.resource = toCloudResource(node, msg.route.resource);
    if (isReply(msg)) {
      // An ACK is a response whose parent_msg_id is the delivered message; a reply may also answer
      // a cloud-side sync query.
      const acked = this.#delivery.ack(node, msg.header.parent_msg_id);
      if (!this.#bus?.respond(msg) && !acked) this.#log.debug("reply matches nothing", { node, parent: msg.header.parent_msg_id });
      return;
    }
    const to = upstreamTarget(msg.route.group);
    if (!to || !this.#modules.has(to)) {
      this.#counters.add(node, "dropped");
      this.#log.debug("no module for edge message, skipped", { node, group: msg.route.group, module: to ?? "none" });
      if (msg.header.sync) this.toEdge(errorReplyTo(msg, `Cannot route group "${msg.route.group}": no module ${to ?? "for it"}`, Source.cloudHub));
      return;
    }
    const bus = this.#bus!;
    if (bus.trySend(to, msg)) return;
    return session.enqueue(() => bus.send(to, msg).catch((err) => this.#log.warn("cannot deliver edge message", { node, module: to, error: err })));
  }

  opened(session: NodeSession): void {
    const node = session.node;
    this.#counters.connected(node);
    this.#log.info("node connected", { node, remote: session.remote, pending: this.#delivery.pending(node) });
    this.#delivery.resendAll(node, session);
    this.#announce(Op.connected, node);
  }

  closed(session: NodeSession, code: number, reason: string): void {
    const node = session.node;
    if (session.replaced) {
      this.#log.info("link replaced by a newer one", { node, remote: session.remote });
      return;
    }
    this.#delivery.linkLost(node);
    this.#log.info("node disconnected", { node, code, ...(reason ? { reason } : {}), connectedMs: Date.now() - session.openedAt });
    if (this.#server.ready) this.#announce(Op.disconnected, node);
  }

  badFrame(session: NodeSession, reason: string): void {
    this.#counters.add(session.node, "badFrames");
    this.#log.warn("bad frame, closing link", { node: session.node, reason });
  }

  refusedUpgrade(remote: string | undefined, r: HandshakeRefusal): void {
    this.refused++;
    // one line per address and step every 10 s: a revoked node retrying, or a stranger hammering, must not fill the log
    const suppressed = this.#refusalLog.admit(`${remote ?? ""}|${r.step}`);
    if (suppressed === undefined) return;
    this.#log.warn("link refused", { remote, status: r.status, step: r.step, reason: r.message, ...(suppressed ? { suppressed } : {}) });
  }

  /** Tells every other cloud module that a node's link came up or went down. */
  #announce(operation: string, node: string): void {
    const bus = this.#bus;
    if (!bus) return;
    for (const name of this.#modules) {
      if (name === ModuleName.cloudHub) continue;
      const msg = newMessage({ source: Source.cloudHub, group: Group.hub, operation, resource: `node/${node}`, content: null });
      if (!bus.trySend(name, msg)) {
        bus.send(name, msg).catch((err) => this.#log.warn("cannot announce link event", { node, module: name, operation, error: err }));
      }
    }
  }
}
