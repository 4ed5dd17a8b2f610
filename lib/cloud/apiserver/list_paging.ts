/**
 * `limit` and `continue` of list requests (kubectl asks for 500 at a time): a page of the sorted list, a continue
 * token naming where the next page starts, and `remainingItemCount` when no selector filtered the list.
 *
 * The token has the real apiserver's shape (base64url of `{"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"}`).
 * Unlike etcd, the store keeps no old snapshots: a later page comes from the current state, so an object created
 * or deleted between pages may be seen or missed, as with a real list made with `resourceVersionMatch=NotOlderThan`.
 *
 * @module
 */
import { badRequest } from "./status_error.ts";
import type { StoredObject } from "./types.ts";

const TOKEN_VERSION = "meta.k8s.io/v1";

/** What a list reply's metadata gets from paging. */
export type PageMeta = { continue?: string; remainingItemCount?: number };

/** One page and its metadata. */
export type Page = { items: readonly StoredObject[]; meta: PageMeta };

/** The key a list is ordered by: `<namespace>/<name>` across namespaces, the name within one. */
function keyOf(s: StoredObject, withNamespace: boolean): string {
  const m = s.object.metadata ?? {};
  return withNamespace && m.namespace ? `${m.namespace}/${m.name ?? ""}` : String(m.name ?? "");
}

function decodeToken(token: string): { rv: number; start: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch (err) {
    throw badRequest(`invalid continue token: continue key is not valid: ${(err as Error).message}`);
  }
  const t = parsed as { v?: unknown; rv?: unknown; start?: unknown } | null;
  if (!t || t.v !== TOKEN_VERSION || typeof t.rv !== "number" || t.rv <= 0 || typeof t.start !== "string") {
    throw badRequest(`invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version ${TOKEN_VERSION})`);
  }
  return { rv: t.rv, start: t.start };
}

/**
 * Cuts one page out of a sorted list.
 *
 * @param items the whole selected list, in the store's order (by namespace, then name)
 * @param params the request's query (`limit`, `continue`)
 * @param rv the list's resourceVersion, carried in the token
 * @param filtered whether a label or field selector chose the items (then no `remainingItemCount`, as on a real cluster)
 * @param acrossNamespaces whether the list spans namespaces (keys then include the namespace)
 * @throws StatusError 400 for a malformed continue token or limit
 */
export function pageOf(items: readonly StoredObject[], params: URLSearchParams, rv: number, filtered: boolean, acrossNamespaces: boolean): Page {
  const token = params.get("continue");
  const limitText = params.get("limit");
  const limit = limitText === null || limitText === "" ? 0 : Number(limitText);
  if (!Number.isInteger(limit)) throw badRequest(`invalid limit: ${JSON.stringify(limitText)}`);
  let rest = items;
  let tokenRv = rv;
  if (token) {
    const t = decodeToken(token);
    tokenRv = t.rv;
    rest = items.filter((s) => keyOf(s, acrossNamespaces) >= t.start);
  }
  if (limit <= 0 || rest.length <= limit) return { items: rest, meta: {} };
  const page = rest.slice(0, limit);
  const start = `${keyOf(page[page.length - 1]!, acrossNamespaces)}\u0000`;
  const next = Buffer.from(JSON.stringify({ v: TOKEN_VERSION, rv: tokenRv, start })).toString("base64url");
  const meta: PageMeta = { continue: next };
  if (!filtered) meta.remainingItemCount = rest.length - limit;
  return { items: page, meta };
}
