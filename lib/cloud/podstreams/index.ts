/**
 * PodStreamsCloud: `kubectl logs` and `kubectl exec` of the embedded API, carried to the pod's node over
 * cloudhub with the stream protocol of `lib/model/stream.ts`. It implements the API's `PodStreams`.
 *
 * Consumes (inbox "podstreams"): group `stream` frames from nodes (`opened`, `data`, `credit`, `close`, `exit`,
 * `reset`; resource `node/<node>/<ns>/pod/<name>`), routed by CloudHub; CloudHub's `hub` `disconnected` (ends every
 * stream of that node).
 *
 * Emits to "cloudhub": `open` (sync, so an unlinked node is refused at once), `data` (stdin), `credit`, `resize`,
 * `close`. None carries a resourceVersion: CloudHub sends them once and never resends them.
 *
 * Bounds: `maxStreamsPerNode` (429 past it), `windowBytes` per stream (the node never has more in flight, the
 * client's backpressure reaches the node), `maxFrameBytes`, `openTimeoutMs`, `idleTimeoutMs`.
 *
 * @module
 */
export { PodStreamsCloud } from "./pod_streams_cloud.ts";
export { StreamError } from "./stream_error.ts";
export type { StreamErrorCode } from "./stream_error.ts";
export type { PodStreamsCloudOptions, PodStreamsStats } from "./types.ts";
