/**
 * One websocket link to cloudhub: dialing with the node certificate, keepalives, the silence watchdog, ordered
 * delivery of incoming frames with read pausing, and writes that report failure.
 *
 * @module
 */
import { WebSocket } from "ws";
import { decodeMessage, encodeMessage, type Message, newMessage, Op, REFUSAL_HEADER, Source } from "../../model/index.ts";

/** How to reach the cloud. */
export type DialOptions = {
  url: string;
  headers: Record<string, string>;
  tls: { ca: string; cert: string; key: string };
  connectTimeoutMs: number;
  maxFrameBytes: number;
  heartbeatMs: number;
};

/** What the link reports to its owner. */
export type LinkHandlers = {
  /** A decoded message; the next one is delivered once the returned promise settles. */
  message(msg: Message): Promise<void>;
  badFrame(reason: string): void;
};

/** A refused or failed dial. `status` is the HTTP status when cloudhub answered the upgrade with one. */
export class DialError extends Error {
  readonly status: number | undefined;
  /** The cloud's one-word cause of a refusal (its `x-kubeedge-refusal` header), for example "revoked". */
  refusal: string | undefined;
  constructor(message: string, status?: number, options?: ErrorOptions) {
    super(message, options);
    this.name = "DialError";
    this.status = status;
  }
}

const PAUSE_AT = 64;
const RESUME_AT = 16;

/** An open link. `closed` resolves when it ends, for any reason. */
export class CloudLink {
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly #ws: WebSocket;
  readonly #handlers: LinkHandlers;
  #chain: Promise<void> = Promise.resolve();
  #waiting = 0;
  #lastSeen = Date.now();
  #timer: ReturnType<typeof setInterval> | undefined;

  private constructor(ws: WebSocket, handlers: LinkHandlers) {
    this.#ws = ws;
    this.#handlers = handlers;
    this.closed = new Promise((resolve) => {
      ws.once("close", (code: number, reason: Buffer) => {
        clearInterval(this.#timer);
        resolve({ code, reason: reason.toString() });
      });
    });
    ws.on("message", (data: Buffer) => this.#frame(data));
    ws.on("pong", () => (this.#lastSeen = Date.now()));
  }

  /**
   * Dials cloudhub and resolves once the link is open. Frames are handed to `handlers` from the first one on.
   *
   * @throws DialError with the HTTP status when the upgrade is refused, or the socket error
   */
  static open(opts: DialOptions, handlers: LinkHandlers, signal: AbortSignal): Promise<CloudLink> {
    signal.throwIfAborted();
    const ws = new WebSocket(opts.url, {
      ca: opts.tls.ca,
      cert: opts.tls.cert,
      key: opts.tls.key,
      headers: opts.headers,
      handshakeTimeout: opts.connectTimeoutMs,
      maxPayload: opts.maxFrameBytes,
      perMessageDeflate: false,
    });
    const link = new CloudLink(ws, handlers);
    return new Promise((resolve, reject) => {
      const onAbort = () => ws.terminate();
      signal.addEventListener("abort", onAbort, { once: true });
      const settle = (f: () => void) => {
        signal.removeEventListener("abort", onAbort);
        ws.off("open", onOpen);
        ws.off("unexpected-response", onRefused);
        f();
      };
      const onOpen = () => settle(() => {
        link.#startHeartbeat(opts.heartbeatMs);
        resolve(link);
      });
      const onRefused = (_req: unknown, res: { statusCode?: number; headers?: Record<string, unknown>; resume(): void }) => settle(() => {
        res.resume();
        ws.terminate();
        const err = new DialError(`cloudhub refused the link: HTTP ${res.statusCode}`, res.statusCode);
        const refusal = res.headers?.[REFUSAL_HEADER];
        // one short word or nothing: the header is shown in our logs
        if (typeof refusal === "string" && /^[a-z-]{1,32}$/.test(refusal)) err.refusal = refusal;
        reject(err);
      });
      ws.on("open", onOpen);
      ws.on("unexpected-response", onRefused);
      ws.on("error", (err) => settle(() => reject(new DialError(`Cannot reach cloudhub: ${err.message}`, undefined, { cause: err }))));
      void link.closed.then(({ code }) => settle(() => reject(signal.aborted ? signal.reason : new DialError(`link closed while opening (code ${code})`))));
    });
  }

  /** True while frames can be written. */
  get isOpen(): boolean {
    return this.#ws.readyState === WebSocket.OPEN;
  }

  /** Writes a message. @returns a promise that rejects when the link fails before the frame is handed to the kernel */
  send(msg: Message): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.isOpen) return reject(new DialError("link is closed"));
      this.#ws.send(encodeMessage(msg), (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Closes the link. */
  close(code = 1000, reason = ""): void {
    if (this.#ws.readyState === WebSocket.OPEN || this.#ws.readyState === WebSocket.CONNECTING) this.#ws.close(code, reason);
  }

  /** Drops the link without a close handshake. */
  terminate(): void {
    this.#ws.terminate();
  }

  // As in KubeEdge, the edge sends a keepalive every heartbeat. A websocket ping rides along so a cloud that went
  // away without closing the socket is noticed after two silent heartbeats.
  #startHeartbeat(heartbeatMs: number): void {
    const keepalive = () => newMessage({ source: Source.edgeHub, group: "resource", operation: Op.keepalive, resource: "node", content: "ping" });
    this.#timer = setInterval(() => {
      if (Date.now() - this.#lastSeen > 2 * heartbeatMs) {
        this.#ws.terminate();
        return;
      }
      if (!this.isOpen) return;
      this.#ws.send(encodeMessage(keepalive()));
      this.#ws.ping();
    }, heartbeatMs);
    this.#timer.unref();
  }

  #frame(data: Buffer): void {
    this.#lastSeen = Date.now();
    let msg: Message;
    try {
      msg = decodeMessage(data);
    } catch (err) {
      this.#handlers.badFrame((err as Error).message);
      return;
    }
    this.#waiting++;
    if (this.#waiting === PAUSE_AT) this.#ws.pause();
    this.#chain = this.#chain.then(() => this.#handlers.message(msg)).catch(() => {}).finally(() => {
      this.#waiting--;
      if (this.#waiting === RESUME_AT && this.#ws.isPaused) this.#ws.resume();
    });
  }
}
