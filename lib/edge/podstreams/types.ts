/**
 * Options, counters and the engine contract of the edge's pod streams.
 *
 * @module
 */
import type { PodExecOptions, PodLogOptions } from "../edged/index.ts";
import type { ExecSession } from "../edged/runtime/index.ts";
import type { Logger } from "../../log/index.ts";

/**
 * Logs and exec of this node's pods. Edged implements it (`podLogs`, `podExec`): it finds the container by its
 * labels on the engine. Errors with a `code` (`EDGED_NOT_FOUND`, `RUNTIME_CONFLICT`, ...) become HTTP statuses.
 */
export type PodEngine = {
  podLogs(ns: string, pod: string, container: string, options: PodLogOptions): AsyncIterable<Uint8Array>;
  podExec(ns: string, pod: string, container: string, options: PodExecOptions): Promise<ExecSession>;
};

/** How PodStreamsEdge is set up. */
export type PodStreamsEdgeOptions = {
  engine: PodEngine;
  /** Streams running at once; more are refused with 429. @default 32 */
  maxStreams?: number;
  /** Bytes of stdin the cloud may send on one stream before the edge grants more. @default 262144 bytes */
  windowBytes?: number;
  /** Largest frame payload the edge accepts to use (the cloud proposes one in `open`). @default 1048576 bytes */
  maxFrameBytes?: number;
  /** A stream with no frame either way for this long is ended. @default 14400000 ms (4 h) */
  idleTimeoutMs?: number;
  log?: Logger;
};

/** Counters of the edge's pod streams. */
export type PodStreamsEdgeStats = {
  /** Streams running now. */
  active: number;
  /** Streams started, and refused (limit, bad open, engine error). */
  opened: number;
  refused: number;
  /** Payload bytes sent to the cloud (output) and received (stdin). */
  bytesOut: number;
  bytesIn: number;
  /** Frames that were malformed, broke the protocol, or named an unknown stream. */
  badFrames: number;
};
