/**
 * The one error class of the cloud's pod streams. Its `status` is the HTTP code the embedded API answers with
 * (`PodStreams` contract), so kubectl prints what went wrong.
 *
 * | code | status | meaning |
 * | --- | --- | --- |
 * | `STREAM_NOT_CONNECTED` | 503 | the node has no live link, no stream module, or podstreams is not running |
 * | `STREAM_LIMIT` | 429 | the node already has `maxStreamsPerNode` streams |
 * | `STREAM_TIMEOUT` | 504 | the node did not answer the open within `openTimeoutMs` |
 * | `STREAM_REFUSED` | the node's | the node could not start it: no such container (404), not running (400), engine error (500) |
 * | `STREAM_LINK_LOST` | 503 | the node's link went down, or came back without the stream |
 * | `STREAM_IDLE` | 504 | nothing moved for `idleTimeoutMs` |
 * | `STREAM_PROTOCOL` | 502 | the node broke the protocol (more than its credit, oversized or malformed frame) |
 * | `STREAM_CLOSED` | 502 | the node closed the stream, or the client went away |
 *
 * @module
 */

/** Stable codes of {@link StreamError}. */
export type StreamErrorCode =
  | "STREAM_NOT_CONNECTED" | "STREAM_LIMIT" | "STREAM_TIMEOUT" | "STREAM_REFUSED" | "STREAM_LINK_LOST" | "STREAM_IDLE"
  | "STREAM_PROTOCOL" | "STREAM_CLOSED";

/** A pod stream that could not start or did not finish. */
export class StreamError extends Error {
  readonly code: StreamErrorCode;
  /** HTTP status for the API's answer. */
  readonly status: number;
  constructor(code: StreamErrorCode, status: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StreamError";
    this.code = code;
    this.status = status;
  }
}
