/**
 * The PodStreamsEdge module: runs the log and exec streams the cloud opens on this node's containers. See the face
 * (`index.ts`) for what it consumes and emits.
 *
 * @module
 */
import type { Bus, Module, ModuleContext } from "../../core/index.ts";
import { createLogger, type Logger } from "../../log/index.ts";
import {
  Group, type Message, ModuleName, Op, parseResource, parseStreamFrame, STREAM_GROUP, STREAM_MODULE, streamMessage,
  type StreamContent, type StreamOpName,
} from "../../model/index.ts";
import { EdgeStream } from "./edge_stream.ts";
import { type FrameHandler, makeFrameHandlers } from "./frame_handlers.ts";
import type { PodEngine, PodStreamsEdgeOptions, PodStreamsEdgeStats } from "./types.ts";

const DEFAULTS = {
  maxStreams: 32,
  windowBytes: 256 * 1024,
  maxFrameBytes: 1024 * 1024,
  idleTimeoutMs: 4 * 60 * 60 * 1000,
};

/** Where `reset` goes: no pod, the edge's stream module as a whole. */
const RESET_RESOURCE = STREAM_MODULE;

/**
 * The edge end of pod streams. Register it before EdgeHub with Edged as its engine.
 *
 * @example In edge_core
 * ```ts
 * const edged = new Edged({ nodeName, dataDir });
 * bus.register(edged);
 * bus.register(new PodStreamsEdge({ engine: edged }));
 * ```
 */
export class PodStreamsEdge implements Module {
  readonly name = STREAM_MODULE;
  readonly group = STREAM_MODULE;
  readonly #opts: typeof DEFAULTS & { engine: PodEngine };
  readonly #log: Logger;
  readonly #streams = new Map<string, EdgeStream>();
  readonly #stats: PodStreamsEdgeStats = { active: 0, opened: 0, refused: 0, bytesOut: 0, bytesIn: 0, badFrames: 0 };
  readonly #handlers: { [O in StreamOpName]: FrameHandler<O> };
  #bus: Bus | undefined;

  constructor(options: PodStreamsEdgeOptions) {
    this.#opts = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)), engine: options.engine };
    this.#log = options.log ?? createLogger(STREAM_MODULE);
    this.#handlers = makeFrameHandlers({
      streams: this.#streams, stats: this.#stats, log: this.#log,
      open: (resource, c) => this.#open(resource, c),
      closeUnknown: (resource, id, reason) => this.#send(resource, "close", { id, reason }).catch(() => {}),
    });
  }

  /** Counters now. */
  stats(): PodStreamsEdgeStats {
    return { ...this.#stats, active: this.#streams.size };
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
      if (ctx.signal.aborted) this.#stopAll("edge_core is stopping", true);
    }
  }

  #handle(msg: Message): void {
    if (msg.route.group === Group.hub) {
      // A link going down takes every stream with it; a new link tells the cloud which streams still run.
      if (msg.route.operation === Op.disconnected) this.#stopAll("the link to the cloud was lost", false);
      else if (msg.route.operation === Op.connected) this.#send(RESET_RESOURCE, "reset", { live: [...this.#streams.keys()] }).catch(() => {});
      return;
    }
    if (msg.route.group !== STREAM_GROUP) return;
    try {
      const frame = parseStreamFrame(msg);
      (this.#handlers[frame.op] as FrameHandler<typeof frame.op>)(msg.route.resource, frame.content as never);
    } catch (err) {
      this.#stats.badFrames++;
      this.#log.warn("bad stream frame, ignored", { resource: msg.route.resource, operation: msg.route.operation, error: err });
    }
  }

  #open(resource: string, open: StreamContent<"open">): void {
    if (this.#streams.has(open.id)) return;
    const refuse = (status: number, why: string) => {
      this.#stats.refused++;
      this.#log.info("stream refused", { resource, id: open.id, kind: open.kind, reason: why });
      this.#send(resource, "exit", { id: open.id, error: `Cannot open ${open.kind} stream on "${resource}": ${why}`, status }).catch(() => {});
    };
    const target = parseResource(resource);
    if (target.type !== "pod" || !target.name) return refuse(400, "the resource is not a pod");
    if (this.#streams.size >= this.#opts.maxStreams) return refuse(429, `${this.#opts.maxStreams} streams already running on this node`);
    if (open.maxFrameBytes < 1 || open.maxFrameBytes > this.#opts.maxFrameBytes) {
      return refuse(400, `frame size ${open.maxFrameBytes} is outside 1..${this.#opts.maxFrameBytes} bytes`);
    }
    const stream = new EdgeStream({
      open, namespace: target.namespace, pod: target.name, engine: this.#opts.engine, windowBytes: this.#opts.windowBytes, stats: this.#stats,
      send: (op, content) => this.#send(resource, op, content),
      ended: (s) => {
        if (this.#streams.get(s.id) === s) this.#streams.delete(s.id);
        this.#log.debug("stream ended", { resource, id: s.id });
      },
    });
    this.#streams.set(open.id, stream);
    this.#stats.opened++;
    this.#log.debug("stream started", { resource, id: open.id, kind: open.kind, container: open.container });
    void stream.run();
  }

  #stopAll(why: string, notifyCloud: boolean): void {
    for (const s of this.#streams.values()) s.stop({ message: why, notifyCloud });
  }

  #sweepIdle(now: number): void {
    for (const s of this.#streams.values()) {
      if (now - s.lastActivityMs >= this.#opts.idleTimeoutMs) s.stop({ message: `nothing moved for ${this.#opts.idleTimeoutMs} ms`, notifyCloud: true });
    }
  }

  #send<O extends StreamOpName>(resource: string, op: O, content: StreamContent<O>): Promise<void> {
    const bus = this.#bus;
    if (!bus) return Promise.reject(new Error("Cannot send stream frame: podstreams is not running"));
    return bus.send(ModuleName.edgeHub, streamMessage(STREAM_MODULE, resource, op, content));
  }
}
