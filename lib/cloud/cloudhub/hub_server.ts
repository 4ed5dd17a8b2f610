/**
 * cloudhub's listener: HTTPS that asks for client certificates, websocket upgrades checked by the handshake steps,
 * one session per node (a new link replaces the old one), frame size cap, keepalive timeout, and the frame budget
 * (bytes received from all links and not yet handed on; a link whose next message does not fit is not read until it
 * does). It decodes frames and hands them to {@link HubEvents}; what a message means is CloudHub's business.
 *
 * HTTPS is a `tls.Server` whose sockets are handed to an `http.Server`, rather than `https.createServer`: under Bun
 * the sockets of an https server carry no peer certificate, so no node could prove its name there.
 *
 * @module
 */
import { constants } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, STATUS_CODES } from "node:http";
import { type AddressInfo, createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from "node:tls";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { Logger } from "../../log/index.ts";
import { decodeMessage, type Message, MessageFormatError, REFUSAL_HEADER, REVOKED_CLOSE_CODE, REVOKED_REFUSAL } from "../../model/index.ts";
import { Admission } from "./admission.ts";
import { FrameBudget } from "./frame_budget.ts";
import { LinkMeter, MAX_FRAGMENTS } from "./link_meter.ts";
import { checkUpgrade, HandshakeRefusal, type HubView } from "./handshake.ts";
import { NodeSession } from "./node_session.ts";
import type { HttpHandler } from "./types.ts";

/** Close codes cloudhub uses (the websocket protocol leaves 4000-4999 to applications). */
export const CloseCode = {
  goingAway: 1001,
  /** A frame that is not a message. */
  invalidData: 1007,
  /** A frame over the size cap (ws sends this itself). */
  tooBig: 1009,
  replaced: 4000,
  keepaliveTimeout: 4001,
  /** The node's unacknowledged messages overflowed; reconnecting resyncs it. */
  resync: 4002,
  /** The node's certificate was revoked while it was linked. */
  revoked: REVOKED_CLOSE_CODE,
} as const;

/** What the server reports to its owner. */
export type HubEvents = {
  opened(session: NodeSession): void;
  /** A message from a node; a returned promise settles once the hub may forget the frame (its budget is given back). */
  message(session: NodeSession, msg: Message): void | Promise<unknown>;
  badFrame(session: NodeSession, reason: string): void;
  closed(session: NodeSession, code: number, reason: string): void;
  refusedUpgrade(remote: string | undefined, refusal: HandshakeRefusal): void;
};

/** Settings the server needs (defaults are applied by CloudHub). */
export type HubServerOptions = {
  address: { host: string; port: number };
  tls: { cert: string; key: string; ca: string };
  nodeLimit: number;
  keepaliveTimeoutMs: number;
  maxFrameBytes: number;
  maxInflightBytes: number;
  maxInflightBytesPerLink: number;
  listenBacklog: number;
  maxPendingHandshakes: number;
  maxPendingPerAddress: number;
  preHandshakeIdleMs: number;
  handshakeTimeoutMs: number;
  httpHandler?: HttpHandler;
  isRevoked?: (node: string, issuedAtMs: number) => boolean;
};

/** The listener and the live sessions, one per node. */
export class HubServer implements HubView {
  readonly #opts: HubServerOptions;
  readonly #events: HubEvents;
  readonly #log: Logger;
  readonly #sessions = new Map<string, NodeSession>();
  readonly #tcp: NetServer;
  readonly #tls: TlsServer;
  readonly #http: HttpServer;
  readonly #wss: WebSocketServer;
  readonly #sockets = new Set<Socket>();
  readonly #meters = new WeakMap<NodeSession, LinkMeter>();
  /** Bytes received from nodes and not yet handed on, per link and in total. */
  readonly budget: FrameBudget;
  /** Connections that have not sent their request yet (strangers), bounded so they cannot crowd out nodes. */
  readonly admission: Admission;
  ready = false;

  constructor(opts: HubServerOptions, events: HubEvents, log: Logger) {
    this.#opts = opts;
    this.#events = events;
    this.budget = new FrameBudget({ totalBytes: opts.maxInflightBytes, linkBytes: Math.min(opts.maxInflightBytesPerLink, opts.maxInflightBytes) });
    this.#log = log;
    this.admission = new Admission({
      maxPending: opts.maxPendingHandshakes,
      maxPerAddress: opts.maxPendingPerAddress,
      idleMs: opts.preHandshakeIdleMs,
      deadlineMs: opts.handshakeTimeoutMs,
    }, log);
    // rejectUnauthorized is off so an untrusted or missing certificate reaches the handshake and is refused with
    // 403 and a log line naming the reason, instead of a bare TLS alert. No session tickets: edge links are long
    // lived and never resume, and under Node each ticketed session held ~20 KB per idle link (test/bench/link.ts).
    this.#tls = createTlsServer({
      ...this.#secureContext(opts.tls),
      requestCert: true,
      rejectUnauthorized: false,
      handshakeTimeout: opts.handshakeTimeoutMs,
    }, (s: TLSSocket) => this.#http.emit("connection", s));
    // The request must follow the TLS handshake promptly; Admission enforces that until it arrives.
    this.#http = createHttpServer({ headersTimeout: opts.handshakeTimeoutMs, requestTimeout: opts.handshakeTimeoutMs });
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxFrameBytes, maxFragments: MAX_FRAGMENTS, perMessageDeflate: false, clientTracking: false });
    this.#http.on("upgrade", (req, socket, head) => {
      this.admission.settled(req.socket.remoteAddress, req.socket.remotePort);
      this.#upgrade(req, socket, head);
    });
    this.#http.on("request", (req, res) => {
      this.admission.settled(req.socket.remoteAddress, req.socket.remotePort);
      void (async () => {
        if (!(await this.#opts.httpHandler?.(req, res))) {
          res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
        }
      })().catch((err) => {
        this.#log.error("http handler failed", { url: req.url, error: err });
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    });
    this.#tcp = createNetServer((s) => this.#accept(s));
    this.#tls.on("tlsClientError", (err, s) => {
      this.#log.debug("tls handshake failed", { remote: s.remoteAddress, error: err });
    });
  }

  /**
   * Serves a new certificate and key from the next TLS handshake on; links already up keep theirs.
   *
   * @returns false when the runtime cannot swap a live server's certificate (it then takes effect on restart)
   */
  setCertificate(pair: { cert: string; key: string }): boolean {
    if (typeof this.#tls.setSecureContext !== "function") return false;
    this.#tls.setSecureContext(this.#secureContext({ ...this.#opts.tls, ...pair }));
    return true;
  }

  #secureContext(tls: { cert: string; key: string; ca: string }) {
    return { ...tls, minVersion: "TLSv1.2" as const, secureOptions: constants.SSL_OP_NO_TICKET };
  }

  get nodeLimit(): number {
    return this.#opts.nodeLimit;
  }

  connectedCount(): number {
    return this.#sessions.size;
  }

  isConnected(node: string): boolean {
    return this.#sessions.has(node);
  }

  isRevoked(node: string, issuedAtMs: number): boolean {
    return this.#opts.isRevoked?.(node, issuedAtMs) ?? false;
  }

  /** Closes `node`'s link if its certificate is now revoked. @returns whether it did */
  enforceRevocation(node: string): boolean {
    const s = this.#sessions.get(node);
    if (!s || !this.isRevoked(node, s.certIssuedAtMs)) return false;
    s.close(CloseCode.revoked, REVOKED_REFUSAL);
    return true;
  }

  /** The live session of `node`, if any. */
  session(node: string): NodeSession | undefined {
    return this.#sessions.get(node);
  }

  /** Names of linked nodes. */
  nodes(): string[] {
    return [...this.#sessions.keys()];
  }

  /** Starts listening. @returns the bound address (port 0 becomes the real port) */
  listen(): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      this.#tcp.once("error", reject);
      this.#tcp.listen({ port: this.#opts.address.port, host: this.#opts.address.host, backlog: this.#opts.listenBacklog }, () => {
        this.#tcp.off("error", reject);
        const a = this.#tcp.address() as AddressInfo;
        resolve({ host: a.address, port: a.port });
      });
    });
  }

  /** Closes links silent for longer than the keepalive timeout (30 s by default, as in KubeEdge). */
  sweepKeepalive(now: number): void {
    for (const s of this.#sessions.values()) {
      // a link waiting for the frame budget is silent because the hub does not read it
      if (this.#meters.get(s)?.waiting) continue;
      if (now - s.lastSeenMs > this.#opts.keepaliveTimeoutMs) {
        this.#log.warn("link silent, closing", { node: s.node, silentMs: now - s.lastSeenMs });
        s.terminate();
      }
    }
  }

  /** Closes every link and the listener. */
  async close(): Promise<void> {
    this.ready = false;
    this.admission.closeAll();
    for (const s of this.#sessions.values()) s.close(CloseCode.goingAway, "cloudhub stopping");
    await new Promise<void>((resolve) => {
      this.#tcp.close(() => resolve());
      // Links that do not finish the close handshake promptly are cut.
      setTimeout(() => {
        for (const s of this.#sockets) s.destroy();
      }, 500).unref();
    });
  }

  /**
   * A new TCP connection is a stranger: admitted under the limits of {@link Admission}, or closed at once. TLS starts
   * only once its first bytes arrive, so a flood of idle connections costs a socket each, not a TLS session, and
   * the accept loop keeps pace with an attacker re-opening them (which decides how soon a node's connection, queued
   * behind theirs in the listen backlog, is reached).
   */
  #accept(s: Socket): void {
    if (!this.admission.admit(s)) return;
    this.#sockets.add(s);
    s.once("close", () => this.#sockets.delete(s));
    s.on("error", (err) => this.#log.debug("connection error before TLS", { remote: s.remoteAddress, error: err }));
    s.once("data", (first: Buffer) => {
      this.admission.spoke(s);
      // the TLS socket reads what is buffered here first, then the connection itself
      s.pause();
      s.unshift(first);
      this.#tls.emit("connection", s);
    });
  }

  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    let ctx;
    try {
      ctx = checkUpgrade(req, this);
    } catch (err) {
      const refusal = err as HandshakeRefusal;
      this.#events.refusedUpgrade(req.socket.remoteAddress, refusal);
      const body = `${refusal.message}\n`;
      socket.end(
        `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\nConnection: close\r\n` +
          (refusal.refusal ? `${REFUSAL_HEADER}: ${refusal.refusal}\r\n` : "") +
        `Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return;
    }
    const { node, issuedAtMs } = ctx;
    const remote = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    // The callback must not refer to `req`: its handlers live as long as the link and would keep the request alive.
    this.#wss.handleUpgrade(req, socket, head, (ws: WebSocket) => this.#open(node, remote, ws, socket, issuedAtMs));
  }

  /** Makes the session of a new link; a link of the same node it replaces is closed. */
  #open(node: string, remote: string, ws: WebSocket, socket: Duplex, issuedAtMs: number): void {
    const session = new NodeSession(node, ws, remote);
    session.certIssuedAtMs = issuedAtMs;
    const meter = new LinkMeter(this.budget, this.#opts.maxFrameBytes, (waiting) => {
      session.hold("budget", waiting);
      if (!waiting) session.lastSeenMs = Date.now();
    });
    this.#meters.set(session, meter);
    // Ahead of ws's own listener, so a message is charged before ws can hand it over. Any byte counts as a sign of
    // life: a big frame on a slow link may take longer than the keepalive timeout.
    socket.prependListener("data", (chunk: Buffer) => {
      session.lastSeenMs = Date.now();
      meter.feed(chunk);
    });
    const old = this.#sessions.get(node);
    if (old) {
      old.replaced = true;
      old.close(CloseCode.replaced, "replaced by a new link");
    }
    this.#sessions.set(node, session);
    ws.on("message", (data: Buffer) => this.#frame(session, data));
    ws.on("ping", () => (session.lastSeenMs = Date.now()));
    ws.on("error", (err: Error & { code?: string }) => {
      if (err.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") this.#events.badFrame(session, `frame over ${this.#opts.maxFrameBytes} bytes`);
      else this.#log.debug("link error", { node, error: err });
    });
    ws.on("close", (code: number, reason: Buffer) => {
      meter.close();
      if (this.#sessions.get(node) === session) this.#sessions.delete(node);
      this.#events.closed(session, code, reason.toString());
    });
    this.#events.opened(session);
  }

  #frame(session: NodeSession, data: Buffer): void {
    const meter = this.#meters.get(session)!;
    const cost = meter.nextMessage();
    let pending: void | Promise<unknown> = undefined;
    try {
      pending = this.#handle(session, data);
    } finally {
      const release = () => meter.release(cost);
      if (pending) pending.then(release, release);
      else release();
    }
  }

  #handle(session: NodeSession, data: Buffer): void | Promise<unknown> {
    // Frames parsed from the same chunk as a bad one still arrive; that link is closing, so they are ignored. (Frames
    // arriving while a link closes for another reason, such as ACKs, still count.)
    if (session.rejected) return;
    let msg: Message;
    try {
      // KubeEdge v1.0 sent binary frames, later versions text; both carry one JSON message.
      msg = decodeMessage(data);
    } catch (err) {
      const reason = err instanceof MessageFormatError ? err.message : String(err);
      session.rejected = true;
      this.#events.badFrame(session, reason);
      session.close(CloseCode.invalidData, "invalid message");
      return;
    }
    return this.#events.message(session, msg);
  }
}
