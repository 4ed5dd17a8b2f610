/** DELETE of one object, and of a collection. */
import { isPlainObject, type JsonObject } from "../../../kube/index.ts";
import type { DeleteOptions, PropagationPolicy } from "../deleter.ts";
import { parseJson, readBody } from "../http_io.ts";
import { groupResource } from "../registry.ts";
import { badRequest } from "../status_error.ts";
import type { ApiContext, Handler, ResourceRequest } from "./context.ts";
import { objectJson, requestedApiVersion, sendObject } from "./respond.ts";
import { requestFilter } from "./selectors.ts";
import { sendJson } from "../http_io.ts";

const POLICIES: readonly string[] = ["Background", "Foreground", "Orphan"];

/** DeleteOptions from the body (kubectl sends one) and the query string (client-node and curl use it). */
async function deleteOptions(ctx: ApiContext, r: ResourceRequest): Promise<DeleteOptions> {
  const raw = await readBody(r.req, ctx.limits.maxBodyBytes);
  const body: JsonObject = raw.length ? ((v) => (isPlainObject(v) ? v : {}))(parseJson(raw)) : {};
  const q = r.url.searchParams;
  const grace = body.gracePeriodSeconds ?? (q.has("gracePeriodSeconds") ? Number(q.get("gracePeriodSeconds")) : undefined);
  if (grace !== undefined && grace !== null && (typeof grace !== "number" || !Number.isInteger(grace))) {
    throw badRequest(`gracePeriodSeconds must be a whole number, got ${JSON.stringify(grace)}`);
  }
  let policy = body.propagationPolicy ?? q.get("propagationPolicy") ?? undefined;
  if (body.orphanDependents === true || q.get("orphanDependents") === "true") policy = "Orphan";
  if (policy !== undefined && policy !== null && !POLICIES.includes(String(policy))) {
    throw badRequest(`propagationPolicy must be one of ${POLICIES.join(", ")}, got ${JSON.stringify(policy)}`);
  }
  const pre = isPlainObject(body.preconditions) ? body.preconditions : {};
  const dryRun = Array.isArray(body.dryRun) ? body.dryRun.length > 0 : q.getAll("dryRun").length > 0;
  return {
    gracePeriodSeconds: typeof grace === "number" ? grace : undefined,
    propagationPolicy: (policy ?? undefined) as PropagationPolicy | undefined,
    preconditions: { uid: typeof pre.uid === "string" ? pre.uid : undefined, resourceVersion: typeof pre.resourceVersion === "string" ? pre.resourceVersion : undefined },
    dryRun,
  };
}

/** Deletes the object and replies with its last state (with deletionTimestamp while it waits for its node). */
export const deleteObject: Handler = async (ctx, r) => {
  const options = await deleteOptions(ctx, r);
  const { stored } = await ctx.deleter.delete(r.info, r.namespace, r.name, options);
  sendObject(ctx, r, stored);
};

/** Deletes every selected object of the collection and replies with them as a list. */
export const deleteCollection: Handler = async (ctx, r) => {
  const options = await deleteOptions(ctx, r);
  const filter = requestFilter(r.info, r.namespace, r.url.searchParams);
  const targets = ctx.storage.list(groupResource(r.info), r.namespace || undefined).filter((s) => filter(s.object));
  const deleted = await ctx.deleter.deleteMany(r.info, targets, options);
  const head = JSON.stringify({ kind: r.info.listKind, apiVersion: requestedApiVersion(r), metadata: { resourceVersion: String(ctx.storage.resourceVersion) } });
  sendJson(r.res, 200, `${head.slice(0, -1)},"items":[${deleted.map((s) => objectJson(r, s)).join(",")}]}`);
};
