/**
 * The PodStreamsCloud module: serves the embedded API's `pods/log` and `pods/exec` from the nodes over cloudhub.
 * See the face (`index.ts`) for what it consumes and emits.
 *
 * @module
 */
import type { PodExecOptions, PodLogOptions, PodStreams, PodTarget, ExecSession } from "../apiserver/index.ts";
import type { Bus, Module, ModuleContext } from "../../core/index.ts";
import { createLogger, type Logger } from "../../log/index.ts";
import {
  buildResource, fromCloudResource, Group, type Message, ModuleName, Op, parseStreamFrame, STREAM_GROUP, STREAM_MODULE,
  streamMessage, type StreamContent, type StreamKind, type StreamOpen, type StreamOpName, toCloudResource,
} from "../../model/index.ts";
import { CloudStream } from "./cloud_stream.ts";
import { bridgeExec } from "./exec_bridge.ts";
import { type FrameHandler, type FrameOrigin, makeFrameHandlers } from "./frame_handlers.ts";
import { logOutput } from "./log_output.ts";
import { StreamError } from "./stream_error.ts";
import { StreamTable } from "./stream_table.ts";
import type { PodStreamsCloudOptions, PodStreamsStats } from "./types.ts";

const DEFAULTS = {
  maxStreamsPerNode: 32,
  windowBytes: 256 * 1024,
  maxFrameBytes: 32 * 1024,
  openTimeoutMs: 15_000,
  idleTimeoutMs: 4 * 60 * 60 * 1000,
};

/**
 * The cloud end of pod streams. Register it on the cloud bus and hand it to the API with `api.setPodStreams(...)`.
 *
 * @example In cloud_core
 * ```ts
 * const streams = new PodStreamsCloud({ log: log.child("podstreams") });
 * bus.register(streams);
 * api.setPodStreams(streams);
 * ```
 */
export class PodStreamsCloud implements Module, PodStreams {
  readonly name = STREAM_MODULE;
  readonly group = STREAM_MODULE;
  readonly #opts: typeof DEFAULTS;
  readonly #log: Logger;
  readonly #table = new StreamTable();
  readonly #stats: PodStreamsStats = { active: 0, opened: 0, refused: 0, bytesIn: 0, bytesOut: 0, maxBufferedBytes: 0, badFrames: 0 };
  readonly #handlers: { [O in StreamOpName]: FrameHandler<O> };
  #bus: Bus | undefined;

  constructor(options: PodStreamsCloudOptions = {}) {
    this.#opts = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
    this.#log = options.log ?? createLogger(STREAM_MODULE);
    this.#handlers = makeFrameHandlers({
      table: this.#table, stats: this.#stats, log: this.#log,
      closeUnknown: (from, id) => this.#sendTo(from.resource, "close", { id, reason: "no such stream" }).catch(() => {}),
    });
  }

  /** Counters now. */
  stats(): PodStreamsStats {
    return { ...this.#stats, active: this.#table.size };
  }

  async start(ctx: ModuleContext): Promise<void> {
    this.#bus = ctx.bus;
    const sweepMs = Math.min(30_000, Math.max(10, Math.floor(this.#opts.idleTimeoutMs / 4)));
    const timer = setInterval(() => this.#sweepIdle(Date.now()), sweepMs);
    timer.unref();
    try {
      for await (const msg of ctx.inbox) this.#handle(msg);
    } finally {
      clearInterval(timer);
      if (ctx.signal.aborted) {
        this.#bus = undefined;
        for (const s of this.#table.list()) s.fail(new StreamError("STREAM_NOT_CONNECTED", 503, "Cannot stream: cloud_core is stopping"), true);
      }
    }
  }

  /**
   * A container's log from its node. Resolves once the first bytes (or the end) arrived.
   *
   * @throws StreamError with the HTTP status (404 no such container, 429, 503 node not linked, 504 no answer)
   */
  async logs(target: PodTarget, options: PodLogOptions, signal: AbortSignal): Promise<AsyncIterable<Uint8Array>> {
    const sinceSeconds = options.sinceTime
      ? Math.max(1, Math.ceil((Date.now() - Date.parse(options.sinceTime)) / 1000))
      : options.sinceSeconds;
    const stream = await this.#open(target, "logs", {
      logs: {
        follow: options.follow, previous: options.previous, timestamps: options.timestamps, tailLines: options.tailLines,
        sinceSeconds: Number.isFinite(sinceSeconds) ? sinceSeconds : undefined, limitBytes: options.limitBytes,
      },
    }, signal);
    try {
      return await logOutput(stream);
    } catch (err) {
      // The node answers a log it cannot serve after `opened`, with the first frame.
      this.#stats.refused++;
      throw err;
    }
  }

  /**
   * Runs a command in a container on its node, with the client's stdin, terminal size and output backpressure.
   *
   * @returns the command's exit code
   * @throws StreamError with the HTTP status, or when the stream fails midway
   */
  async exec(target: PodTarget, options: PodExecOptions, session: ExecSession): Promise<{ exitCode: number }> {
    const stream = await this.#open(target, "exec", { exec: options }, session.signal);
    return bridgeExec(stream, session);
  }

  /**
   * Starts a stream: checks the link and the limit, registers the stream (so frames that beat the answer find it),
   * sends `open` as a sync message (the hubs answer at once with an error when the node is unreachable), and waits
   * for `opened`.
   */
  async #open(target: PodTarget, kind: StreamKind, what: Pick<StreamOpen, "logs" | "exec">, signal: AbortSignal): Promise<CloudStream> {
    const pod = `${target.namespace}/${target.pod}`;
    const node = target.nodeName;
    const bus = this.#bus;
    const refuse = (code: StreamError["code"], status: number, why: string) =>
      new StreamError(code, status, `Cannot stream ${kind} of pod "${pod}" on node "${node}": ${why}`);
    if (!bus) {
      this.#stats.refused++;
      throw refuse("STREAM_NOT_CONNECTED", 503, "podstreams is not running");
    }
    if (this.#table.count(node) >= this.#opts.maxStreamsPerNode) {
      this.#stats.refused++;
      throw refuse("STREAM_LIMIT", 429, `${this.#opts.maxStreamsPerNode} streams already open`);
    }
    signal.throwIfAborted();
    const resource = toCloudResource(node, buildResource(target.namespace, "pod", target.pod));
    const stream = new CloudStream({
      id: crypto.randomUUID(), node, pod, kind, windowBytes: this.#opts.windowBytes, maxFrameBytes: this.#opts.maxFrameBytes, stats: this.#stats,
      send: (op, content) => this.#sendTo(resource, op, content),
      ended: (s) => {
        this.#table.remove(s);
        signal.removeEventListener("abort", onAbort);
        this.#log.debug("stream ended", { node, pod, id: s.id, kind });
      },
    });
    const onAbort = () => stream.close("the client went away");
    signal.addEventListener("abort", onAbort, { once: true });
    this.#table.add(stream);
    const open = streamMessage(STREAM_MODULE, resource, "open", {
      id: stream.id, kind, container: target.container, uid: target.uid, window: this.#opts.windowBytes, maxFrameBytes: this.#opts.maxFrameBytes, ...what,
    });
    const answered = new AbortController();
    bus.waitForReply(open, { timeoutMs: this.#opts.openTimeoutMs, signal: answered.signal }).then(
      (reply) => {
        if (reply.route.operation === Op.error) stream.fail(refuse("STREAM_NOT_CONNECTED", 503, String(reply.content)), false);
      },
      (err: { code?: string }) => {
        if (err?.code === "BUS_TIMEOUT") stream.fail(refuse("STREAM_TIMEOUT", 504, `no answer within ${this.#opts.openTimeoutMs} ms`), true);
      },
    );
    try {
      await bus.send(ModuleName.cloudHub, open);
    } catch (err) {
      stream.fail(refuse("STREAM_NOT_CONNECTED", 503, (err as Error).message), false);
    }
    try {
      await stream.opened;
    } catch (err) {
      this.#stats.refused++;
      throw err;
    } finally {
      answered.abort();
    }
    this.#stats.opened++;
    this.#log.debug("stream opened", { node, pod, container: target.container, id: stream.id, kind });
    return stream;
  }

  #handle(msg: Message): void {
    if (msg.route.group === Group.hub) {
      if (msg.route.operation === Op.disconnected) this.#linkLost(msg.route.resource.replace(/^node\//, ""));
      return;
    }
    if (msg.route.group !== STREAM_GROUP) return;
    try {
      const from: FrameOrigin = { node: fromCloudResource(msg.route.resource).node, resource: msg.route.resource };
      const frame = parseStreamFrame(msg);
      (this.#handlers[frame.op] as FrameHandler<typeof frame.op>)(from, frame.content as never);
    } catch (err) {
      this.#stats.badFrames++;
      this.#log.warn("bad stream frame, ignored", { resource: msg.route.resource, operation: msg.route.operation, error: err });
    }
  }

  #linkLost(node: string): void {
    for (const s of this.#table.list(node)) {
      s.fail(new StreamError("STREAM_LINK_LOST", 503, `Cannot stream ${s.kind}: the link to node "${node}" was lost`), false);
    }
  }

  #sweepIdle(now: number): void {
    for (const s of this.#table.list()) {
      if (now - s.lastActivityMs < this.#opts.idleTimeoutMs) continue;
      s.fail(new StreamError("STREAM_IDLE", 504, `Cannot stream ${s.kind}: nothing moved for ${this.#opts.idleTimeoutMs} ms`), true);
    }
  }

  #sendTo<O extends StreamOpName>(resource: string, op: O, content: StreamContent<O>): Promise<void> {
    const bus = this.#bus;
    if (!bus) return Promise.reject(new StreamError("STREAM_NOT_CONNECTED", 503, "Cannot send stream frame: podstreams is not running"));
    return bus.send(ModuleName.cloudHub, streamMessage(STREAM_MODULE, resource, op, content));
  }
}
