/**
 * Replies with objects: as JSON in the requested version, or as a Table when kubectl asks for one.
 *
 * @module
 */
import type { KubeObject } from "../../../kube/index.ts";
import type { IncludeObject } from "../printers/index.ts";
import { sendJson, wantsTable } from "../http_io.ts";
import { tableFor } from "../tables.ts";
import type { PageMeta } from "../list_paging.ts";
import type { ResourceInfo, StoredObject } from "../types.ts";
import type { ApiContext, ResourceRequest } from "./context.ts";

/** The apiVersion a request's URL asks for. */
export function requestedApiVersion(r: ResourceRequest): string {
  return r.info.group ? `${r.info.group}/${r.route.version}` : r.route.version;
}

/** An object serialised in the requested version (objects are stored in one version; no conversion). */
export function objectJson(r: ResourceRequest, stored: StoredObject): string {
  const want = requestedApiVersion(r);
  if (stored.object.apiVersion === want) return stored.json;
  return JSON.stringify({ ...stored.object, apiVersion: want });
}

/** The object in the requested version, as a value. */
export function objectIn(r: ResourceRequest, obj: KubeObject): KubeObject {
  const want = requestedApiVersion(r);
  return obj.apiVersion === want ? obj : { ...obj, apiVersion: want };
}

/** `includeObject` of a Table request. */
export function includeObject(url: URL): IncludeObject {
  const v = url.searchParams.get("includeObject");
  return v === "Object" || v === "None" ? v : "Metadata";
}

/** Replies with one object, as a one-row Table when the client asked for a Table. */
export function sendObject(ctx: ApiContext, r: ResourceRequest, stored: StoredObject, status = 200): void {
  if (wantsTable(r.req.headers.accept)) {
    const table = tableFor(ctx.storage, r.info, r.route.version, [objectIn(r, stored.object)], {
      includeObject: includeObject(r.url), resourceVersion: String(stored.object.metadata?.resourceVersion ?? ""),
    });
    sendJson(r.res, status, table);
    return;
  }
  sendJson(r.res, status, objectJson(r, stored));
}

/**
 * Replies with a list (`<Kind>List`) or a Table, built from the cached serialised objects.
 *
 * @param page the paging metadata (`continue`, `remainingItemCount`) of this page, if paged
 */
export function sendList(ctx: ApiContext, r: ResourceRequest, items: readonly StoredObject[], resourceVersion: number, page: PageMeta = {}): void {
  const info: ResourceInfo = r.info;
  if (wantsTable(r.req.headers.accept)) {
    const table = tableFor(ctx.storage, info, r.route.version, items.map((s) => objectIn(r, s.object)), {
      includeObject: includeObject(r.url), resourceVersion: String(resourceVersion),
    });
    Object.assign(table.metadata, page);
    sendJson(r.res, 200, table);
    return;
  }
  const head = JSON.stringify({ kind: info.listKind, apiVersion: requestedApiVersion(r), metadata: { resourceVersion: String(resourceVersion), ...page } });
  const body = `${head.slice(0, -1)},"items":[${items.map((s) => objectJson(r, s)).join(",")}]}`;
  sendJson(r.res, 200, body);
}
