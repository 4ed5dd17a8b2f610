/** PUT of an object, or of its status with the `status` subresource. */
import { isPlainObject, type KubeObject } from "../../../kube/index.ts";
import { decodeObject, readBody } from "../http_io.ts";
import { badRequest } from "../status_error.ts";
import type { Handler } from "./context.ts";
import { sendObject } from "./respond.ts";
import { setWarnings, updateManagerOf, writeOptions } from "./write_options.ts";

/** Replaces the object (409 on a stale resourceVersion) and replies with the stored result. */
export const updateObject: Handler = async (ctx, r) => {
  const body = decodeObject(await readBody(r.req, ctx.limits.maxBodyBytes), r.req.headers["content-type"]);
  if (!isPlainObject(body)) throw badRequest(`the body of the request must be a ${r.info.kind} object`);
  const subresource = r.route.subresource === "status" ? "status" : undefined;
  const options = { ...writeOptions(r.url, "UpdateOptions"), updateManager: updateManagerOf(r.req, r.url) };
  const stored = await ctx.service.update(r.info, r.namespace, r.name, body as KubeObject, { ...options, subresource });
  setWarnings(r.res, options.warnings);
  sendObject(ctx, r, stored);
};
