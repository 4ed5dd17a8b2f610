/** GET of a collection (without `watch`). `limit` is ignored: the whole list comes at once, with no continue token. */
import type { Handler } from "./context.ts";
import { sendList } from "./respond.ts";
import { requestFilter } from "./selectors.ts";
import { groupResource } from "../registry.ts";

/** Replies with the selected objects as a `<Kind>List` or a Table, carrying the current resourceVersion. */
export const listObjects: Handler = async (ctx, r) => {
  const filter = requestFilter(r.info, r.namespace, r.url.searchParams);
  const all = ctx.storage.list(groupResource(r.info), r.namespace || undefined);
  const hasSelectors = r.url.searchParams.has("labelSelector") || r.url.searchParams.has("fieldSelector");
  const items = hasSelectors ? all.filter((s) => filter(s.object)) : all;
  sendList(ctx, r, items, ctx.storage.resourceVersion);
};
