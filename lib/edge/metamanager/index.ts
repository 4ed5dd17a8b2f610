/**
 * MetaManager: the edge's copy of what the cloud assigned to this node (table `meta`), kept so the node works offline.
 *
 * Consumes: from the cloud (via EdgeHub) `insert`/`update`/`patch`/`delete` of `<ns>/<type>/<name>` (stored if newer by
 * resourceVersion, then ACKed, then pod/configmap/secret passed to "edged"), `sync` (resync: delete what the cloud no
 * longer lists, see lib/model/resync.ts) and `query`; from edge modules `query` (`<ns>/<type>/<name>` or `*\/<type>`,
 * answered by bus.respond; a missing object is asked of the cloud while linked) and reports (`update`
 * `<ns>/podstatus/<pod>`, `<ns>/nodestatus/<node>`, `delete <ns>/pod/<name>`) passed to "edgehub"; EdgeHub's
 * `hub` `connected`/`disconnected`.
 *
 * Emits: ACKs and answers to "edgehub"; pod/configmap/secret changes to "edged"; every `podStatusSyncIntervalMs` the
 * stored pod statuses to "edgehub". An unknown operation gets an `error` reply and is counted.
 *
 * @module
 */
export { MetaManager } from "./meta_manager.ts";
export type { MetaManagerCounters, MetaManagerOptions } from "./types.ts";
