/**
 * PodStreamsEdge: the node's end of `kubectl logs` and `kubectl exec`, with the stream protocol of
 * `lib/model/stream.ts`. It runs them on the engine through Edged (`podLogs`, `podExec`).
 *
 * Consumes (inbox "podstreams"): group `stream` frames from the cloud (`open`, `data` of stdin, `credit`, `resize`,
 * `close`; resource `<ns>/pod/<name>`), routed by EdgeHub; EdgeHub's `hub` `connected` (answers with `reset`) and
 * `disconnected` (stops every stream).
 *
 * Emits to "edgehub": `opened`, `data` (stdout, stderr), `credit`, `close`, `exit`, `reset`. EdgeHub sends them at
 * once and drops them while offline: they are never kept for a later link.
 *
 * Bounds: `maxStreams` (429 past it), `windowBytes` of stdin per stream, `maxFrameBytes` it agrees to, and
 * `idleTimeoutMs`. Output never exceeds the cloud's credit, so a slow client holds the engine's stream back.
 *
 * @module
 */
export { PodStreamsEdge } from "./pod_streams_edge.ts";
export type { PodEngine, PodStreamsEdgeOptions, PodStreamsEdgeStats } from "./types.ts";
