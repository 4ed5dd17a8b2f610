/**
 * CloudHub: the cloud end of the node links (`wss://<host>:10000/<project>/<node>/events`, client certificate with
 * CN = node), KubeEdge's link.
 *
 * Consumes (inbox "cloudhub"): any message whose resource is `node/<node>/<resource>`; the prefix is stripped and the
 * message goes to that node. Messages with a `resourceversion` (and not replies) are tracked until the edge ACKs
 * them, sent again after `ackTimeoutMs` and on reconnect; newest version per object wins. A `sync` request to a node
 * that is not linked gets an immediate `error` reply. A `revocation` group message for `node/<node>` closes that
 * node's link with code 4003 when its certificate is now revoked (`isRevoked`), which also refuses such upgrades.
 *
 * Emits: edge messages with the prefix added, by group: `meta`/`resource` -> "edgecontroller", `twin` ->
 * "devicecontroller", `stream` -> "podstreams", `certificate` -> "certsigner" (skipped with a debug line when that module is absent); replies go to
 * `bus.respond` (ACKs settle the outbox). On link up/down `{source: "cloudhub", group: "hub", operation: "connected"|"disconnected", resource:
 * "node/<node>"}` to every other module; a link replaced by the same node's newer one emits no "disconnected".
 *
 * Bounds what nodes can make it hold: frames of at most `maxFrameBytes`, and `maxInflightBytes` (per link
 * `maxInflightBytesPerLink`) of messages received and not yet handed on; a link whose next message does not fit is not
 * read until it does (`frame_budget.ts`).
 *
 * @module
 */
export { CloudHub } from "./cloud_hub.ts";
export type { CloudHubOptions, HttpHandler, HubStats, LinkCounters, NodeStats } from "./types.ts";
