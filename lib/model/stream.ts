/**
 * The pod stream protocol: `kubectl logs` and `kubectl exec` carried over the cloud <-> edge link as messages of
 * group `stream` (our own format; KubeEdge tunnels these through a separate stream server). Module "podstreams" on
 * each side speaks it; CloudHub and EdgeHub route the group to it and never track, resend or keep these messages:
 * they carry no resourceVersion and are dropped while the link is down.
 *
 * One stream, id chosen by the cloud, resource `<ns>/pod/<name>` (cloud form `node/<node>/<ns>/pod/<name>`):
 *
 * | op | from | content | meaning |
 * | --- | --- | --- | --- |
 * | `open` | cloud | {@link StreamOpen} | start a log or exec stream; sent `sync`, so the hubs answer an `error` at once when the node is not linked or has no stream module |
 * | `opened` | edge | {@link StreamOpened} | the stream runs; `window` is what the cloud may send (stdin) before a credit |
 * | `data` | both | {@link StreamData} | bytes of a channel; never more than the receiver granted |
 * | `credit` | both | {@link StreamCredit} | the receiver consumed bytes: the sender may send that many more |
 * | `resize` | cloud | {@link StreamResize} | terminal size of an exec with a tty |
 * | `close` | both | {@link StreamClose} | with `channel: "stdin"` stdin ends (half-close); without, the stream is over |
 * | `exit` | edge | {@link StreamExit} | the last frame: exit code of an exec, end of a log, or an error (instead of `opened` when refused) |
 * | `reset` | edge | {@link StreamReset} | sent on every new link: the ids the edge still holds; the cloud ends the others |
 *
 * Flow control: each receiver grants a window of bytes; a sender never has more than the granted bytes
 * outstanding (see `stream_window.ts`). A frame carries at most `maxFrameBytes` of payload.
 *
 * @module
 */
import { newMessage, type Message } from "./message.ts";

/** Route group of stream messages. */
export const STREAM_GROUP = "stream";
/** Name of the module that speaks the protocol, on the cloud bus and on the edge bus. */
export const STREAM_MODULE = "podstreams";

/** Operations of the stream protocol. */
export const StreamOp = {
  open: "open",
  opened: "opened",
  data: "data",
  credit: "credit",
  resize: "resize",
  close: "close",
  exit: "exit",
  reset: "reset",
} as const;

/** One operation of {@link StreamOp}. */
export type StreamOpName = (typeof StreamOp)[keyof typeof StreamOp];

/** What a stream does. */
export type StreamKind = "logs" | "exec";
/** A byte channel of a stream. Logs use `stdout` only (the engine interleaves both streams). */
export type StreamChannel = "stdin" | "stdout" | "stderr";

/** Log options, as `pods/log` takes them. */
export type StreamLogOptions = {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  /** Bytes after which the edge ends the log. */
  limitBytes?: number;
};

/** Exec options, as `pods/exec` takes them. */
export type StreamExecOptions = { command: string[]; stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean };

/** `open`: which container and what to do. */
export type StreamOpen = {
  id: string;
  kind: StreamKind;
  container: string;
  /** Pod UID the cloud knows, for log lines; the edge finds the container by namespace, pod and name. */
  uid: string;
  /** Bytes the edge may send before the cloud's first credit. */
  window: number;
  /** Largest payload of one `data` frame, both ways. */
  maxFrameBytes: number;
  logs?: StreamLogOptions;
  exec?: StreamExecOptions;
};

/** `opened`: the stream runs. */
export type StreamOpened = { id: string; window: number };
/** `data`: payload in base64. */
export type StreamData = { id: string; channel: StreamChannel; data: string };
/** `credit`: bytes consumed by the receiver. */
export type StreamCredit = { id: string; bytes: number };
/** `resize`: terminal columns and rows. */
export type StreamResize = { id: string; width: number; height: number };
/** `close`: stdin ends (`channel: "stdin"`) or the whole stream ends, with a reason for logs. */
export type StreamClose = { id: string; channel?: "stdin"; reason?: string };
/** `exit`: how the stream ended. `error` (with an HTTP `status`) when it failed or was refused. */
export type StreamExit = { id: string; exitCode?: number; error?: string; status?: number };
/** `reset`: the stream ids the edge holds on the new link. */
export type StreamReset = { live: string[] };

/** A decoded stream message. */
export type StreamFrame =
  | { op: "open"; content: StreamOpen }
  | { op: "opened"; content: StreamOpened }
  | { op: "data"; content: StreamData }
  | { op: "credit"; content: StreamCredit }
  | { op: "resize"; content: StreamResize }
  | { op: "close"; content: StreamClose }
  | { op: "exit"; content: StreamExit }
  | { op: "reset"; content: StreamReset };

/** Content type of each operation. */
export type StreamContent<O extends StreamOpName> = Extract<StreamFrame, { op: O }>["content"];

/**
 * Builds a stream message. No resourceVersion: the hubs send it once and never resend it.
 *
 * @param resource `node/<node>/<ns>/pod/<name>` from the cloud, `<ns>/pod/<name>` from the edge
 */
export function streamMessage<O extends StreamOpName>(source: string, resource: string, op: O, content: StreamContent<O>): Message<StreamContent<O>> {
  return newMessage({ source, group: STREAM_GROUP, operation: op, resource, content, sync: op === StreamOp.open });
}

/** Payload of a `data` frame as bytes. */
export function streamBytes(d: StreamData): Buffer {
  return Buffer.from(d.data, "base64");
}

/** A `data` frame's content for `bytes`. */
export function streamData(id: string, channel: StreamChannel, bytes: Uint8Array): StreamData {
  return { id, channel, data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64") };
}

function fail(op: string, what: string): never {
  throw new TypeError(`Cannot read stream ${op}: ${what}`);
}

function obj(op: string, c: unknown): Record<string, unknown> {
  if (!c || typeof c !== "object" || Array.isArray(c)) fail(op, "content is not an object");
  return c as Record<string, unknown>;
}

function text(op: string, c: Record<string, unknown>, key: string): string {
  const v = c[key];
  if (typeof v !== "string" || v === "") fail(op, `${key} must be a non-empty string`);
  return v;
}

function count(op: string, c: Record<string, unknown>, key: string): number {
  const v = c[key];
  if (!Number.isSafeInteger(v) || (v as number) < 0) fail(op, `${key} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return v as number;
}

function optionalCount(op: string, c: Record<string, unknown>, key: string): number | undefined {
  return c[key] === undefined || c[key] === null ? undefined : count(op, c, key);
}

function flag(c: Record<string, unknown>, key: string): boolean {
  return c[key] === true;
}

const CHANNELS = new Set<StreamChannel>(["stdin", "stdout", "stderr"]);

/** Checks one operation's content (TypeError naming the bad field). */
const PARSERS: { [O in StreamOpName]: (c: Record<string, unknown>) => StreamContent<O> } = {
  open(c) {
    const kind = c.kind;
    if (kind !== "logs" && kind !== "exec") fail("open", `kind must be "logs" or "exec", got ${JSON.stringify(kind)}`);
    const out: StreamOpen = {
      id: text("open", c, "id"), kind, container: text("open", c, "container"), uid: typeof c.uid === "string" ? c.uid : "",
      window: count("open", c, "window"), maxFrameBytes: count("open", c, "maxFrameBytes"),
    };
    if (kind === "logs") {
      const l = obj("open", c.logs ?? {});
      out.logs = {
        follow: flag(l, "follow"), previous: flag(l, "previous"), timestamps: flag(l, "timestamps"),
        tailLines: optionalCount("open", l, "tailLines"), sinceSeconds: optionalCount("open", l, "sinceSeconds"),
        limitBytes: optionalCount("open", l, "limitBytes"),
      };
    } else {
      const e = obj("open", c.exec);
      const command = e.command;
      if (!Array.isArray(command) || command.length === 0 || command.some((a) => typeof a !== "string")) {
        fail("open", "exec.command must be a non-empty list of strings");
      }
      out.exec = { command: command as string[], stdin: flag(e, "stdin"), stdout: flag(e, "stdout"), stderr: flag(e, "stderr"), tty: flag(e, "tty") };
    }
    return out;
  },
  opened: (c) => ({ id: text("opened", c, "id"), window: count("opened", c, "window") }),
  data(c) {
    const channel = c.channel as StreamChannel;
    if (!CHANNELS.has(channel)) fail("data", `channel must be stdin, stdout or stderr, got ${JSON.stringify(channel)}`);
    if (typeof c.data !== "string") fail("data", "data must be a base64 string");
    return { id: text("data", c, "id"), channel, data: c.data };
  },
  credit: (c) => ({ id: text("credit", c, "id"), bytes: count("credit", c, "bytes") }),
  resize: (c) => ({ id: text("resize", c, "id"), width: count("resize", c, "width"), height: count("resize", c, "height") }),
  close(c) {
    if (c.channel !== undefined && c.channel !== "stdin") fail("close", `channel must be "stdin" when given, got ${JSON.stringify(c.channel)}`);
    return { id: text("close", c, "id"), ...(c.channel ? { channel: "stdin" as const } : {}), ...(typeof c.reason === "string" ? { reason: c.reason } : {}) };
  },
  exit(c) {
    const out: StreamExit = { id: text("exit", c, "id") };
    if (c.exitCode !== undefined) out.exitCode = count("exit", c, "exitCode");
    if (c.error !== undefined) {
      if (typeof c.error !== "string") fail("exit", "error must be a string");
      out.error = c.error;
      out.status = c.status === undefined ? 500 : count("exit", c, "status");
    }
    return out;
  },
  reset(c) {
    if (!Array.isArray(c.live) || c.live.some((id) => typeof id !== "string")) fail("reset", "live must be a list of stream ids");
    return { live: c.live as string[] };
  },
};

/**
 * Reads a stream message: its operation and checked content.
 *
 * @throws TypeError when the group is not `stream`, the operation is unknown or the content is malformed
 */
export function parseStreamFrame(msg: Message): StreamFrame {
  const op = msg.route.operation;
  if (msg.route.group !== STREAM_GROUP) throw new TypeError(`Cannot read stream message: group is "${msg.route.group}", not "${STREAM_GROUP}"`);
  if (!Object.hasOwn(PARSERS, op)) throw new TypeError(`Cannot read stream message: unknown operation "${op}"`);
  const parse = PARSERS[op as StreamOpName] as (c: Record<string, unknown>) => StreamFrame["content"];
  return { op, content: parse(obj(op, msg.content)) } as StreamFrame;
}
