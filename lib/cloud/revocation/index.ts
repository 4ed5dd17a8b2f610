/**
 * Revocation: node certificates the cloud no longer accepts, so a deleted or revoked node cannot link again with the
 * certificate it holds. The list is a ConfigMap (`kubeedge-ts-revoked-nodes` in `kubernetes.namespace`) mapping node
 * name -> when it was revoked; certificates for that node issued at or before then are refused, one issued later
 * (a re-join with a new token) works. Entries expire after every certificate they refuse has; the data stays under
 * 900 KiB by dropping the oldest entries.
 *
 * Consumes (inbox "revocation"): `{group: "revocation", operation: "insert", resource: "node/<node>", content:
 * {reason}}` (EdgeController sends it when an edge Node is deleted) and writes the revocation into the ConfigMap.
 *
 * Emits to cloudhub: `{group: "revocation", operation: "update", resource: "node/<node>"}` for each node revoked anew,
 * whatever wrote it (this or another replica, `cloud_core node revoke`); cloudhub closes that node's link if its
 * certificate is refused. cloudhub consults the shared {@link RevocationView} at every link upgrade.
 *
 * @module
 */
export { Revocation, type RevocationOptions } from "./revocation.ts";
export { RevocationStore, RevocationStoreError, type RevocationStoreOptions } from "./revocation_store.ts";
export { RevocationView } from "./revocation_view.ts";
export { parseRevocations, serializeRevocations, withoutRevoked, withRevoked } from "./revocation_list.ts";
export type { ChangedRevocations, ParsedRevocations } from "./revocation_list.ts";
export { MAX_LIST_BYTES, RETENTION_MS, REVOKED_NODES_CONFIGMAP } from "./types.ts";
export type { RevocationEntry, Revocations } from "./types.ts";
