/**
 * GET of a collection with `watch=true`: one JSON event per line on a chunked reply, filtered by
 * namespace and selectors per event, as Tables for `kubectl get -w`. Starts with ADDED events for every current
 * object when no resourceVersion (or "0") is given, else resumes from the history, or sends a 410 ERROR event and
 * closes when the history no longer reaches back. A watcher that falls too far behind is closed; clients re-watch
 * from their last resourceVersion.
 *
 * @module
 */
import type { KubeObject } from "../../../kube/index.ts";
import { wantsTable } from "../http_io.ts";
import { groupResource } from "../registry.ts";
import { badRequest, expired } from "../status_error.ts";
import { tableEvent } from "../tables.ts";
import type { ChangeEvent, WatchEventType } from "../types.ts";
import type { Subscription } from "../watch_hub.ts";
import type { Handler } from "./context.ts";
import { includeObject, objectIn, requestedApiVersion } from "./respond.ts";
import { requestFilter } from "./selectors.ts";

/** Streams change events until the client leaves, the timeout passes, or the watcher falls behind. */
export const watchObjects: Handler = async (ctx, r) => {
  const q = r.url.searchParams;
  const baseFilter = requestFilter(r.info, r.namespace, q);
  const filter = r.name ? (o: KubeObject) => o.metadata?.name === r.name && baseFilter(o) : baseFilter;
  const rvText = q.get("resourceVersion") ?? "";
  const initial = rvText === "" || rvText === "0";
  const fromRv = initial ? ctx.storage.resourceVersion : Number(rvText);
  if (!Number.isSafeInteger(fromRv) || fromRv < 0) throw badRequest(`invalid resourceVersion "${rvText}": must be a non-negative integer`);
  const timeoutText = q.get("timeoutSeconds");
  const timeoutMs = timeoutText !== null && Number(timeoutText) > 0 ? Number(timeoutText) * 1000 : ctx.limits.watchTimeoutMs;
  const table = wantsTable(r.req.headers.accept);
  const include = includeObject(r.url);
  const gr = groupResource(r.info);
  const apiVersion = requestedApiVersion(r);
  const { res } = r;

  res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private", "Transfer-Encoding": "chunked" });
  res.flushHeaders();
  let first = true, closed = false, allowanceBytes = 0;
  let subscription: Subscription | undefined;
  let timeout: ReturnType<typeof setTimeout> | undefined, bookmarkTimer: ReturnType<typeof setTimeout> | undefined;

  const close = () => {
    if (closed) return;
    closed = true;
    subscription?.stop();
    clearTimeout(timeout);
    clearTimeout(bookmarkTimer);
    res.end();
  };
  const write = (line: string): boolean => {
    if (closed) return false;
    res.write(line);
    if (res.writableLength > allowanceBytes + ctx.limits.maxWatchBufferBytes) {
      ctx.log.warn("watch fell behind, closing it", { resource: gr, buffered: res.writableLength });
      close();
      return false;
    }
    return true;
  };
  const encode = (type: WatchEventType, obj: KubeObject, json: string): string => {
    if (table) {
      const event = tableEvent(ctx.storage, r.info, r.route.version, type, objectIn(r, obj), { first, includeObject: include });
      first = false;
      return JSON.stringify(event) + "\n";
    }
    const body = obj.apiVersion === apiVersion ? json : JSON.stringify(objectIn(r, obj));
    return `{"type":"${type}","object":${body}}\n`;
  };

  const sink = {
    accepts: (e: ChangeEvent) => e.gr === gr && (!r.namespace || e.namespace === r.namespace),
    send: (e: ChangeEvent): boolean => {
      const now = filter(e.object);
      let type: WatchEventType | undefined = now ? e.type : undefined;
      if (e.type === "MODIFIED") {
        // A change that moves an object into or out of the selection looks like an add or a delete to this watch.
        const before = e.previous ? filter(e.previous) : false;
        type = now && before ? "MODIFIED" : now ? "ADDED" : before ? "DELETED" : undefined;
      }
      return type ? write(encode(type, e.object, e.json)) : true;
    },
  };

  if (initial) {
    for (const s of ctx.storage.list(gr, r.namespace || undefined)) if (filter(s.object)) write(encode("ADDED", s.object, s.json));
    allowanceBytes = res.writableLength;
  }
  const sub = closed ? undefined : ctx.hub.subscribe(fromRv, sink);
  if (sub === "expired") {
    write(JSON.stringify({ type: "ERROR", object: expired(fromRv, ctx.hub.oldestResourceVersion).toStatus() }) + "\n");
    close();
    return;
  }
  subscription = sub;
  if (closed) subscription?.stop();
  res.on("close", close);
  r.req.on("close", close);
  timeout = setTimeout(close, timeoutMs);
  timeout.unref();
  if (q.get("allowWatchBookmarks") === "true") {
    const tick = () => {
      const bookmark = { kind: r.info.kind, apiVersion, metadata: { resourceVersion: String(ctx.hub.latestResourceVersion) } };
      const line = table ? JSON.stringify({ type: "BOOKMARK", object: { kind: "Table", apiVersion: "meta.k8s.io/v1", metadata: bookmark.metadata, rows: [] } }) + "\n"
        : JSON.stringify({ type: "BOOKMARK", object: bookmark }) + "\n";
      if (write(line)) schedule();
    };
    const schedule = () => {
      bookmarkTimer = setTimeout(tick, ctx.limits.bookmarkIntervalMs);
      bookmarkTimer.unref();
    };
    schedule();
  }
};
