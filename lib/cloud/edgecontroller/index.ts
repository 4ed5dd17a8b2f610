/**
 * EdgeController: pods bound to edge nodes, and the ConfigMaps and Secrets they use, go to those nodes only; pod and
 * node status, pod deletion confirmations and events come back into Kubernetes; node queries are answered under node
 * authorization. Consumes from cloudhub: `update nodestatus|podstatus`, `delete pod`, `query configmap|secret|pod`,
 * `insert|update event`, hub `connected|disconnected`. Emits to cloudhub: `insert|update|delete pod|configmap|secret`,
 * the resync marker, replies. Emits to revocation: `insert node/<node>` when an edge Node is deleted. Every node message is checked before anything is written: its shape, that it is about
 * the node's own objects, the labels a node may set on itself (NodeRestriction), and a per-node Event rate.
 * @module
 */
export { EdgeController } from "./edge_controller.ts";
export type { EdgeControllerOptions, EdgeControllerStats } from "./edge_controller.ts";
