/**
 * EdgeHub: the edge end of the link to cloudhub (`wss://<cloud>/<project>/<node>/events` with the node
 * certificate), keepalive every `heartbeatMs`, reconnect with exponential backoff and jitter.
 *
 * Consumes (inbox "edgehub"): messages for the cloud, in edge form. Replies (ACKs), `stream` frames and `sync` queries
 * go out at once (offline, a query gets an immediate `error` reply, a reply or stream frame is dropped); other
 * messages are reports, kept while offline (latest per operation and resource, in the store) and sent after reconnect.
 *
 * Emits: cloud messages by group: `resource`/`func` -> "metamanager", `twin` -> "devicetwin", `user` -> "eventbus",
 * `servicebus` -> "servicebus", `stream` -> "podstreams"; replies to `bus.respond`. ACKs (`response`, content "OK")
 * for versioned messages routed to modules other than metamanager (which ACKs after storing). On link up/down
 * `{source: "edgehub", group: "hub", operation: "connected"|"disconnected", resource: "node"}` to every other module.
 *
 * @module
 */
export { EdgeHub } from "./edge_hub.ts";
export type { EdgeHubCounters, EdgeHubOptions, LinkState } from "./types.ts";
