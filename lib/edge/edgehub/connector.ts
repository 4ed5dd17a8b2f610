/**
 * Keeps the link up: connect as named steps (dial, flushOffline, announce), wait for the link to end, announce the
 * loss, back off with jitter, repeat until stopped.
 *
 * @module
 */
import { Group, type Message, newMessage, Op, Source } from "../../model/index.ts";
import type { HubContext } from "./_context.ts";
import { backoffDelayMs } from "../../core/index.ts";
import { CloudLink, DialError } from "./cloud_link.ts";
import { deliverDownstream } from "./downstream.ts";
import { readLinkTls } from "./link_tls.ts";
import { RevokedNotice } from "./revoked_notice.ts";
import type { Upstream } from "./upstream.ts";

type Attempt = { ctx: HubContext; upstream: Upstream; signal: AbortSignal; link?: CloudLink };
type Step = { name: string; run(a: Attempt): Promise<void> | void };

/** The connect flow as named steps: a failure names its step. */
const CONNECT_STEPS: Step[] = [
  {
    name: "dial",
    async run(a) {
      const { opts } = a.ctx;
      const host = opts.server.host.includes(":") ? `[${opts.server.host}]` : opts.server.host;
      // KubeEdge's link: wss://<cloud>:10000/<project_id>/<node_id>/events with node_id/project_id headers.
      a.link = await CloudLink.open({
        url: `wss://${host}:${opts.server.port}/${encodeURIComponent(opts.projectId)}/${encodeURIComponent(opts.nodeName)}/events`,
        headers: { node_id: opts.nodeName, project_id: opts.projectId },
        // read on every dial: a certificate renewed while linked is used from the next connection on
        tls: await readLinkTls(opts.tls, opts.nodeName),
        connectTimeoutMs: opts.connectTimeoutMs,
        maxFrameBytes: opts.maxFrameBytes,
        heartbeatMs: opts.heartbeatMs,
      }, {
        message: async (msg) => {
          a.ctx.counters.in++;
          await deliverDownstream(a.ctx, msg);
        },
        badFrame: (reason) => {
          a.ctx.counters.badFrames++;
          a.ctx.log.warn("bad frame from the cloud, ignored", { reason });
        },
      }, a.signal);
      a.ctx.link = a.link;
    },
  },
  { name: "flushOffline", run: (a) => a.upstream.flush(a.link!) },
  {
    name: "announce",
    run(a) {
      a.ctx.state = "connected";
      a.ctx.counters.connects++;
      a.ctx.log.info("connected to cloud", { server: `${a.ctx.opts.server.host}:${a.ctx.opts.server.port}`, node: a.ctx.opts.nodeName });
      announce(a.ctx, Op.connected);
    },
  },
];

/** Runs the link until `signal` aborts. */
export async function runConnector(ctx: HubContext, upstream: Upstream, signal: AbortSignal): Promise<void> {
  let failures = 0;
  const revoked = new RevokedNotice();
  while (!signal.aborted) {
    ctx.state = "connecting";
    const attempt: Attempt = { ctx, upstream, signal };
    let step = "";
    try {
      for (const s of CONNECT_STEPS) {
        step = s.name;
        await s.run(attempt);
      }
    } catch (err) {
      attempt.link?.terminate();
      ctx.link = undefined;
      ctx.reportsFlowing = false;
      if (signal.aborted) break;
      const delay = backoffDelayMs(failures++, { minMs: ctx.opts.reconnectMinMs, maxMs: ctx.opts.reconnectMaxMs });
      const status = err instanceof DialError ? err.status : undefined;
      const quiet = revoked.check({ refusal: err instanceof DialError ? err.refusal : undefined }, ctx.opts.nodeName, ctx.log);
      ctx.log[quiet ? "debug" : "warn"]("cannot connect to cloud", { step, error: (err as Error).message, ...(status ? { status } : {}), attempt: failures, retryInMs: delay });
      ctx.state = "waiting";
      await sleep(delay, signal);
      continue;
    }
    failures = 0;
    const link = attempt.link!;
    const onAbort = () => link.close(1001, "edge_core stopping");
    signal.addEventListener("abort", onAbort, { once: true });
    const { code, reason } = await link.closed;
    signal.removeEventListener("abort", onAbort);
    ctx.link = undefined;
    ctx.reportsFlowing = false;
    if (signal.aborted) break;
    ctx.state = "waiting";
    const delay = backoffDelayMs(0, { minMs: ctx.opts.reconnectMinMs, maxMs: ctx.opts.reconnectMaxMs });
    const quiet = revoked.check({ closeCode: code }, ctx.opts.nodeName, ctx.log);
    ctx.log[quiet ? "debug" : "warn"]("disconnected from cloud", { code, ...(reason ? { reason } : {}), retryInMs: delay });
    announce(ctx, Op.disconnected);
    await sleep(delay, signal);
  }
  ctx.state = "stopped";
}

/** Tells every other module that the cloud link came up or went down (operation `connected` or `disconnected`, resource `node`). */
function announce(ctx: HubContext, operation: string): void {
  for (const name of ctx.bus.moduleNames) {
    if (name === ctx.name) continue;
    const msg: Message = newMessage({ source: Source.edgeHub, group: Group.hub, operation, resource: "node", content: null });
    if (!ctx.bus.trySend(name, msg)) {
      ctx.bus.send(name, msg).catch((err) => ctx.log.warn("cannot announce link event", { module: name, operation, error: err }));
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
