/**
 * The edge end of one pod stream: runs the log or exec on the engine, sends output within the cloud's credit,
 * writes stdin with the process's backpressure, and sends the exit.
 *
 * @module
 */
import type { ExecSession } from "../edged/runtime/index.ts";
import {
  ReceiveWindow, SendWindow, sendWithCredit, streamBytes, streamData, StreamClosedError, type StreamChannel,
  type StreamContent, type StreamData, type StreamOpen, type StreamOpName,
} from "../../model/index.ts";
import { ChunkBuffer } from "./chunk_buffer.ts";
import { errorStatus } from "./error_status.ts";
import type { PodEngine, PodStreamsEdgeStats } from "./types.ts";

/** Output held per channel between the engine and the link, in frames. */
const OUTPUT_BUFFER_FRAMES = 4;

/** Writes one frame of this stream to the cloud. */
export type FrameSender = <O extends StreamOpName>(op: O, content: StreamContent<O>) => Promise<void>;

/** What a stream needs from its module. */
export type EdgeStreamInit = {
  open: StreamOpen;
  namespace: string;
  pod: string;
  engine: PodEngine;
  /** Stdin the cloud may send before a credit. */
  windowBytes: number;
  send: FrameSender;
  stats: PodStreamsEdgeStats;
  /** Called once when the stream stops, whatever the cause: frees its slot. */
  ended(stream: EdgeStream): void;
};

/** Why a stream stops, and whether the cloud still needs to be told. */
export type StopReason = { message: string; notifyCloud: boolean };

/** One stream as the edge sees it. `run()` resolves when it is over, however it ends. */
export class EdgeStream {
  readonly id: string;
  lastActivityMs = Date.now();
  readonly #init: EdgeStreamInit;
  readonly #frameBytes: number;
  readonly #credit: SendWindow;
  readonly #stdin: ReceiveWindow;
  readonly #abort = new AbortController();
  #exec: ExecSession | undefined;
  #stopped = false;

  constructor(init: EdgeStreamInit) {
    this.#init = init;
    this.id = init.open.id;
    this.#frameBytes = init.open.maxFrameBytes;
    this.#credit = new SendWindow(init.open.window);
    this.#stdin = new ReceiveWindow(init.windowBytes);
  }

  /** Runs the stream to its end and sends `exit` (unless it was stopped). */
  async run(): Promise<void> {
    const { open } = this.#init;
    try {
      const exitCode = open.kind === "logs" ? await this.#runLogs() : await this.#runExec();
      if (!this.#stopped) await this.#init.send("exit", { id: this.id, ...(exitCode === undefined ? {} : { exitCode }) });
    } catch (err) {
      if (this.#stopped || err instanceof StreamClosedError) return;
      const what = open.kind === "logs" ? "read logs of" : "exec in";
      const error = `Cannot ${what} container "${open.container}" of pod "${this.#init.namespace}/${this.#init.pod}": ${(err as Error).message ?? err}`;
      await this.#init.send("exit", { id: this.id, error, status: errorStatus(err) }).catch(() => {});
    } finally {
      this.stop({ message: "stream ended", notifyCloud: false });
    }
  }

  /** Ends the stream now: aborts the engine call and, when asked, tells the cloud. */
  stop(reason: StopReason): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#abort.abort(new StreamClosedError(reason.message));
    this.#credit.close(new StreamClosedError(reason.message));
    this.#exec?.close();
    if (reason.notifyCloud) this.#init.send("close", { id: this.id, reason: reason.message }).catch(() => {});
    this.#init.ended(this);
  }

  /** Stdin from the cloud. @returns false when it broke the protocol (no stdin, past the credit, oversized) */
  onData(d: StreamData): boolean {
    this.#touch();
    const bytes = streamBytes(d);
    const stdin = this.#exec?.stdin;
    if (d.channel !== "stdin" || !stdin || bytes.byteLength > this.#frameBytes || !this.#stdin.receive(bytes.byteLength)) return false;
    this.#init.stats.bytesIn += bytes.byteLength;
    stdin.write(bytes, () => {
      const grant = this.#stdin.consume(bytes.byteLength);
      if (grant > 0 && !this.#stopped) this.#init.send("credit", { id: this.id, bytes: grant }).catch(() => {});
    });
    return true;
  }

  onCredit(bytes: number): void {
    this.#touch();
    this.#credit.grant(bytes);
  }

  onResize(width: number, height: number): void {
    this.#touch();
    this.#exec?.resize(width, height).catch(() => {});
  }

  /** Stdin is over: the process sees end of input. */
  onStdinClosed(): void {
    this.#touch();
    this.#exec?.stdin?.end();
  }

  async #runLogs(): Promise<undefined> {
    const { open, engine, namespace, pod } = this.#init;
    const o = open.logs!;
    const lines = engine.podLogs(namespace, pod, open.container, {
      follow: o.follow, previous: o.previous, timestamps: o.timestamps, tailLines: o.tailLines, sinceSeconds: o.sinceSeconds,
      signal: this.#abort.signal,
    });
    await this.#init.send("opened", { id: this.id, window: 0 });
    await this.#pump(o.limitBytes === undefined ? lines : limited(lines, o.limitBytes), "stdout", true);
    return undefined;
  }

  async #runExec(): Promise<number> {
    const { open, engine, namespace, pod } = this.#init;
    const o = open.exec!;
    const session = await engine.podExec(namespace, pod, open.container, { command: o.command, stdin: o.stdin, tty: o.tty, signal: this.#abort.signal });
    this.#exec = session;
    if (this.#stopped) {
      session.close();
      throw new StreamClosedError("stream stopped");
    }
    session.stdin?.on("error", () => {});
    await this.#init.send("opened", { id: this.id, window: o.stdin ? this.#stdin.size : 0 });
    await Promise.all([this.#pump(session.stdout, "stdout", o.stdout), this.#pump(session.stderr, "stderr", o.stderr)]);
    // Stopping closes the connection, which ends the output without an exit code to wait for.
    if (this.#stopped) throw new StreamClosedError("stream stopped");
    return session.exit;
  }

  /**
   * Copies one output source to the cloud, small chunks merged into frames, each within the cloud's credit. Output
   * of a channel the client did not ask for is read and dropped.
   */
  async #pump(source: AsyncIterable<Uint8Array>, channel: StreamChannel, wanted: boolean): Promise<void> {
    const buffer = new ChunkBuffer(OUTPUT_BUFFER_FRAMES * this.#frameBytes);
    const reading = (async () => {
      try {
        for await (const chunk of source) {
          if (this.#stopped) return;
          const full = wanted ? buffer.push(chunk) : undefined;
          if (full) await full;
        }
      } finally {
        buffer.end();
      }
    })();
    try {
      for (let piece = await buffer.take(this.#frameBytes); piece; piece = await buffer.take(this.#frameBytes)) {
        await sendWithCredit(piece, this.#credit, this.#frameBytes, async (frame) => {
          this.#touch();
          this.#init.stats.bytesOut += frame.byteLength;
          await this.#init.send("data", streamData(this.id, channel, frame));
        });
      }
    } catch (err) {
      // The reader may be waiting on the engine; stopping the stream ends it, so it is not waited for here.
      buffer.end();
      reading.catch(() => {});
      throw err;
    }
    await reading;
  }

  #touch(): void {
    this.lastActivityMs = Date.now();
  }
}

/** The first `limitBytes` of a log. */
async function* limited(source: AsyncIterable<Uint8Array>, limitBytes: number): AsyncIterable<Uint8Array> {
  let left = limitBytes;
  for await (const chunk of source) {
    const bytes = chunk.byteLength > left ? chunk.subarray(0, left) : chunk;
    left -= bytes.byteLength;
    yield bytes;
    // A followed log may stay quiet for long: end as soon as the limit is reached.
    if (left <= 0) return;
  }
}
