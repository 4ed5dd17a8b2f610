/** GET of a collection (without `watch`), one page at a time when the client gives `limit` (`list_paging.ts`). */
import type { Handler } from "./context.ts";
import { sendList } from "./respond.ts";
import { requestFilter } from "./selectors.ts";
import { pageOf } from "../list_paging.ts";
import { groupResource } from "../registry.ts";

/** Replies with the selected objects as a `<Kind>List` or a Table, carrying the current resourceVersion. */
export const listObjects: Handler = async (ctx, r) => {
  const filter = requestFilter(r.info, r.namespace, r.url.searchParams);
  const all = ctx.storage.list(groupResource(r.info), r.namespace || undefined);
  const hasSelectors = r.url.searchParams.has("labelSelector") || r.url.searchParams.has("fieldSelector");
  const items = hasSelectors ? all.filter((s) => filter(s.object)) : all;
  const rv = ctx.storage.resourceVersion;
  const page = pageOf(items, r.url.searchParams, rv, hasSelectors, r.info.namespaced && !r.namespace);
  sendList(ctx, r, page.items, rv, page.meta);
};
