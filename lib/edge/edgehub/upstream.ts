/**
 * Edge->cloud sending. Replies (ACKs) and queries go out at once when the link is up; a reply while offline is
 * dropped (the cloud resends and resyncs anyway) and a query fails at once with an `error` reply. Reports (any other
 * message) go out in order after the kept ones; while offline they are kept, latest per object (edge
 * autonomy).
 *
 * @module
 */
import { errorReplyTo, isReply, type Message, Op, Source, STREAM_GROUP, USAGE_GROUP } from "../../model/index.ts";
import type { HubContext } from "./_context.ts";
import type { CloudLink } from "./cloud_link.ts";

/** Serialises reports and the flush of kept reports, so a kept report never overtakes a newer one. */
export class Upstream {
  readonly #ctx: HubContext;
  #tail: Promise<void> = Promise.resolve();

  constructor(ctx: HubContext) {
    this.#ctx = ctx;
  }

  /** Handles one message a module sent to "edgehub". */
  async handle(msg: Message): Promise<void> {
    const ctx = this.#ctx;
    if (msg.route.operation === Op.keepalive) return;
    // Stream frames (lib/model/stream.ts) and usage readings (resource_usage.ts) are live traffic: like replies they go
    // out at once or are dropped, never kept (a reading from before an outage is stale once the link is back).
    if (isReply(msg) || msg.route.group === STREAM_GROUP || msg.route.group === USAGE_GROUP) {
      if (!ctx.link?.isOpen) {
        ctx.counters.dropped++;
        return;
      }
      ctx.counters.out++;
      ctx.link.send(msg).catch(() => {});
      return;
    }
    if (msg.header.sync) {
      if (!ctx.link?.isOpen) {
        ctx.bus.respond(errorReplyTo(msg, `Cannot ${msg.route.operation} "${msg.route.resource}" from the cloud: not connected`, Source.edgeHub));
        return;
      }
      ctx.counters.out++;
      // The caller's sendSync already waits for the reply; a failed write is answered at once instead of by timeout.
      ctx.link.send(msg).catch((err: Error) => ctx.bus.respond(errorReplyTo(msg, `Cannot send query to the cloud: ${err.message}`, Source.edgeHub)));
      return;
    }
    await this.#locked(() => this.#report(msg));
  }

  /** Sends the kept reports on a new link, then lets new reports through: a connect step. */
  flush(link: CloudLink): Promise<void> {
    return this.#locked(async () => {
      const ctx = this.#ctx;
      const kept = ctx.outbox.list();
      const sent: Message[] = [];
      try {
        for (const msg of kept) {
          await link.send(msg);
          sent.push(msg);
        }
      } finally {
        ctx.counters.resent += sent.length;
        await ctx.outbox.remove(sent);
      }
      if (sent.length) ctx.log.info("sent reports kept while offline", { count: sent.length });
      ctx.reportsFlowing = link.isOpen;
    });
  }

  async #report(msg: Message): Promise<void> {
    const ctx = this.#ctx;
    if (ctx.reportsFlowing && ctx.link?.isOpen) {
      try {
        await ctx.link.send(msg);
        ctx.counters.out++;
        return;
      } catch {
        // The link failed under this write: keep the report for the next link.
      }
    }
    const dropped = await ctx.outbox.keep(msg);
    ctx.counters.kept++;
    if (dropped) {
      ctx.counters.dropped += dropped;
      ctx.log.warn("offline reports overflowed, oldest dropped", { dropped, kept: ctx.outbox.size });
    }
  }

  #locked(fn: () => Promise<void>): Promise<void> {
    const run = this.#tail.then(fn);
    this.#tail = run.catch(() => {});
    return run;
  }
}
