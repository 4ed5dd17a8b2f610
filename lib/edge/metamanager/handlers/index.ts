/**
 * MetaManager's handler table: one entry per origin and operation. The key is `cloud:<op>` for
 * messages from the cloud, `local:<op>` for messages from edge modules, `hub:<op>` for EdgeHub's link events.
 *
 * @module
 */
import { cloudDelete } from "./cloud_delete.ts";
import { cloudResync } from "./cloud_resync.ts";
import { cloudUpsert } from "./cloud_upsert.ts";
import type { Handler, HandlerDeps } from "./_deps.ts";
import { hubEvent } from "./hub_event.ts";
import { localReport } from "./local_report.ts";
import { query } from "./query.ts";

export { toCloud } from "./_deps.ts";
export type { Handler, HandlerDeps } from "./_deps.ts";

/** Every handled key. */
export type HandledKey =
  | "cloud:insert"
  | "cloud:update"
  | "cloud:patch"
  | "cloud:delete"
  | "cloud:sync"
  | "cloud:query"
  | "local:query"
  | "local:insert"
  | "local:update"
  | "local:patch"
  | "local:delete"
  | "hub:connected"
  | "hub:disconnected";

/** Builds the table; a missing key fails to compile. */
export function makeHandlers(d: HandlerDeps): Record<HandledKey, Handler> {
  const upsert = cloudUpsert(d);
  const report = localReport(d);
  return {
    "cloud:insert": upsert,
    "cloud:update": upsert,
    "cloud:patch": upsert,
    "cloud:delete": cloudDelete(d),
    "cloud:sync": cloudResync(d),
    "cloud:query": query(d, true),
    "local:query": query(d, false),
    "local:insert": report,
    "local:update": report,
    "local:patch": report,
    "local:delete": report,
    "hub:connected": hubEvent(d, true),
    "hub:disconnected": hubEvent(d, false),
  } satisfies Record<HandledKey, Handler>;
}
