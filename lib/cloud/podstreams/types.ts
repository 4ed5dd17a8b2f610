/**
 * Options and counters of the cloud's pod streams.
 *
 * @module
 */
import type { Logger } from "../../log/index.ts";

/** How PodStreamsCloud is bounded; every field has a default. */
export type PodStreamsCloudOptions = {
  /** Streams open to one node at once; more get HTTP 429. @default 32 */
  maxStreamsPerNode?: number;
  /** Bytes a node may send on one stream before the cloud grants more (per stream, both channels). @default 262144 bytes */
  windowBytes?: number;
  /** Largest payload of one data frame. @default 32768 bytes */
  maxFrameBytes?: number;
  /** How long the node has to start a stream. @default 15000 ms */
  openTimeoutMs?: number;
  /** A stream with no frame either way for this long is ended (kubelet's streaming idle timeout). @default 14400000 ms (4 h) */
  idleTimeoutMs?: number;
  log?: Logger;
};

/** Counters of the cloud's pod streams. */
export type PodStreamsStats = {
  /** Streams open now. */
  active: number;
  /** Streams started since start. */
  opened: number;
  /** Streams that failed to start (refused, limit, timeout, not connected). */
  refused: number;
  /** Payload bytes received from nodes and sent to nodes. */
  bytesIn: number;
  bytesOut: number;
  /** Most bytes ever held for one stream waiting for its client: bounded by `windowBytes`. */
  maxBufferedBytes: number;
  /** Frames that were malformed, broke the protocol, or named an unknown stream. */
  badFrames: number;
};
