/**
 * The cloud end of one pod stream: what the node sent and the client has not read yet (at most the window), credit
 * for stdin, and how the stream ended.
 *
 * @module
 */
import {
  ReceiveWindow, SendWindow, sendWithCredit, streamBytes, streamData, type StreamContent, type StreamData, type StreamExit,
  type StreamKind, type StreamOpName,
} from "../../model/index.ts";
import { StreamError } from "./stream_error.ts";
import type { PodStreamsStats } from "./types.ts";

/** Writes one frame of this stream to the node. */
export type FrameSender = <O extends StreamOpName>(op: O, content: StreamContent<O>) => Promise<void>;

/** A chunk of the node's output. */
export type StreamOutput = { channel: "stdout" | "stderr"; bytes: Uint8Array };

/** Where a stream is in its life; states log by name. */
export type CloudStreamState = "opening" | "open" | "ended";

/** What a stream needs from its module. */
export type CloudStreamInit = {
  id: string;
  node: string;
  /** `<ns>/<pod>`, for messages. */
  pod: string;
  kind: StreamKind;
  windowBytes: number;
  maxFrameBytes: number;
  send: FrameSender;
  stats: PodStreamsStats;
  /** Called once when the stream ends, whatever the cause. */
  ended(stream: CloudStream): void;
};

type Outcome = { exitCode?: number; error?: StreamError; discard: boolean };

/** One stream as the cloud sees it. */
export class CloudStream {
  readonly id: string;
  readonly node: string;
  readonly kind: StreamKind;
  readonly openedAt = Date.now();
  /** Last frame either way: drives the idle timeout. */
  lastActivityMs = Date.now();
  #state: CloudStreamState = "opening";
  readonly #init: CloudStreamInit;
  readonly #recv: ReceiveWindow;
  readonly #credit = new SendWindow(0);
  readonly #queue: StreamOutput[] = [];
  #head = 0;
  #wake: (() => void) | undefined;
  #outcome: Outcome | undefined;
  readonly #opened: Promise<void>;
  #settleOpened!: (err?: StreamError) => void;

  constructor(init: CloudStreamInit) {
    this.#init = init;
    this.id = init.id;
    this.node = init.node;
    this.kind = init.kind;
    this.#recv = new ReceiveWindow(init.windowBytes);
    this.#opened = new Promise<void>((resolve, reject) => {
      this.#settleOpened = (err) => (err ? reject(err) : resolve());
    });
    // A caller that never awaits `opened` (the stream failed first) must not see an unhandled rejection.
    this.#opened.catch(() => {});
  }

  get state(): CloudStreamState {
    return this.#state;
  }

  /** Resolves once the node runs the stream; rejects with a {@link StreamError} when it cannot. */
  get opened(): Promise<void> {
    return this.#opened;
  }

  /** The exit code the node sent (exec), once the stream ended normally. */
  get exitCode(): number | undefined {
    return this.#outcome?.exitCode;
  }

  /** The node started the stream; `window` is the stdin it accepts before a credit. */
  onOpened(window: number): void {
    if (this.#state !== "opening") return;
    this.#touch();
    this.#state = "open";
    this.#credit.grant(window);
    this.#settleOpened();
  }

  /** Output from the node. A payload past the granted credit or the frame limit ends the stream. */
  onData(d: StreamData): void {
    if (this.#state === "ended") return;
    this.#touch();
    const bytes = streamBytes(d);
    if (d.channel === "stdin" || bytes.byteLength > this.#init.maxFrameBytes || !this.#recv.receive(bytes.byteLength)) {
      const why = d.channel === "stdin" ? "stdin data from the node" : `${bytes.byteLength} bytes past the granted credit or frame limit`;
      this.#init.stats.badFrames++;
      this.fail(new StreamError("STREAM_PROTOCOL", 502, `Cannot stream ${this.kind} of pod "${this.#init.pod}": node "${this.node}" sent ${why}`), true);
      return;
    }
    const stats = this.#init.stats;
    stats.bytesIn += bytes.byteLength;
    stats.maxBufferedBytes = Math.max(stats.maxBufferedBytes, this.#recv.buffered);
    this.#queue.push({ channel: d.channel, bytes });
    this.#notify();
  }

  /** The node consumed stdin bytes. */
  onCredit(bytes: number): void {
    this.#touch();
    this.#credit.grant(bytes);
  }

  /** The node's last frame. */
  onExit(e: StreamExit): void {
    if (this.#state === "ended") return;
    if (e.error !== undefined) {
      const code = this.#state === "opening" || e.status === 404 || e.status === 400 ? "STREAM_REFUSED" : "STREAM_CLOSED";
      this.fail(new StreamError(code, e.status ?? 500, e.error), false);
      return;
    }
    this.#end({ exitCode: e.exitCode, discard: false });
  }

  /** The node ended the stream without an exit. */
  onRemoteClose(reason: string | undefined): void {
    this.fail(new StreamError("STREAM_CLOSED", 502, `Cannot stream ${this.kind} of pod "${this.#init.pod}": node "${this.node}" closed it${reason ? `: ${reason}` : ""}`), false);
  }

  /**
   * The node's output in order, chunk by chunk. Credit goes back to the node as the caller asks for the next chunk,
   * so a slow client slows the node. Ends after the exit; throws the stream's error after the output received
   * before it; returns at once when the client closed the stream.
   */
  async *output(): AsyncGenerator<StreamOutput> {
    try {
      for (;;) {
        if (this.#outcome?.discard) return;
        if (this.#head < this.#queue.length) {
          const item = this.#queue[this.#head];
          this.#queue[this.#head++] = undefined as unknown as StreamOutput;
          if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
            this.#queue.splice(0, this.#head);
            this.#head = 0;
          }
          yield item;
          this.#consumed(item.bytes.byteLength);
          continue;
        }
        if (this.#outcome) {
          if (this.#outcome.error) throw this.#outcome.error;
          return;
        }
        await new Promise<void>((resolve) => (this.#wake = resolve));
      }
    } finally {
      if (this.#state !== "ended") this.close("reader stopped");
    }
  }

  /** Sends stdin bytes in frames, each within the node's credit. @throws StreamError once the stream ended */
  async writeStdin(bytes: Uint8Array): Promise<void> {
    await sendWithCredit(bytes, this.#credit, this.#init.maxFrameBytes, async (piece) => {
      this.#touch();
      this.#init.stats.bytesOut += piece.byteLength;
      await this.#init.send("data", streamData(this.id, "stdin", piece));
    });
  }

  /** Ends stdin (half-close); output goes on. */
  async closeStdin(): Promise<void> {
    if (this.#state === "ended") return;
    await this.#init.send("close", { id: this.id, channel: "stdin" });
  }

  /** Passes a terminal size on. */
  async resize(width: number, height: number): Promise<void> {
    if (this.#state === "ended") return;
    this.#touch();
    await this.#init.send("resize", { id: this.id, width, height });
  }

  /** The client is gone: tell the node, drop what is buffered. */
  close(reason: string): void {
    if (this.#state === "ended") return;
    this.#sendClose(reason);
    this.#end({ error: new StreamError("STREAM_CLOSED", 502, `Cannot stream ${this.kind} of pod "${this.#init.pod}": ${reason}`), discard: true });
  }

  /** Ends the stream with `error` after the output already received; `notifyNode` sends the node a close. */
  fail(error: StreamError, notifyNode: boolean): void {
    if (this.#state === "ended") return;
    if (notifyNode) this.#sendClose(error.message);
    this.#end({ error, discard: false });
  }

  #sendClose(reason: string): void {
    this.#init.send("close", { id: this.id, reason }).catch(() => {});
  }

  #end(outcome: Outcome): void {
    if (this.#state === "ended") return;
    this.#state = "ended";
    this.#outcome = outcome;
    this.#credit.close(outcome.error);
    this.#settleOpened(outcome.error ?? new StreamError("STREAM_CLOSED", 502, `Cannot stream ${this.kind} of pod "${this.#init.pod}": it ended before it started`));
    if (outcome.discard) this.#queue.length = this.#head = 0;
    this.#notify();
    this.#init.ended(this);
  }

  #consumed(bytes: number): void {
    const grant = this.#recv.consume(bytes);
    if (grant > 0 && this.#state === "open") this.#init.send("credit", { id: this.id, bytes: grant }).catch(() => {});
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #touch(): void {
    this.lastActivityMs = Date.now();
  }
}
