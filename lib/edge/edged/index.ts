/**
 * Edged, the edge pod manager. Consumes from MetaManager: `insert|update|delete <ns>/pod/<name>` (content Pod),
 * `insert|update|delete <ns>/configmap/<name>` and `<ns>/secret/<name>`, and EdgeHub's `connected|disconnected`.
 * Emits to MetaManager: a query of all stored pods (namespace `*`, type `pod`) at start and `query <ns>/configmap|secret/<name>`, `update <ns>/podstatus/<pod>`
 * `{UID, Name, Status}`, `update default/nodestatus/<node>` `{UID, Status, ExtendResources, Labels}`, and
 * `delete <ns>/pod/<name>` `{UID}` once a pod is gone. The container runtime lives in `./runtime/index.ts`.
 * @module
 */
export { Edged } from "./edged.ts";
export { NodeOnly } from "./node_only.ts";
export type { NodeOnlyOptions } from "./node_only.ts";
export type { EdgedOptions } from "./edged_options.ts";
export { EDGED_DEFAULTS } from "./edged_options.ts";
export { EdgedError } from "./edged_error.ts";
export type { EdgedErrorCode } from "./edged_error.ts";
export type { PodExecOptions, PodLogOptions } from "./pod_io.ts";
export type { Pod, PodStatus } from "./types.ts";
