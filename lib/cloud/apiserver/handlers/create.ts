/** POST to a collection. */
import { isPlainObject, type KubeObject } from "../../../kube/index.ts";
import { decodeObject, readBody } from "../http_io.ts";
import { badRequest } from "../status_error.ts";
import type { Handler } from "./context.ts";
import { sendObject } from "./respond.ts";
import { setWarnings, updateManagerOf, writeOptions } from "./write_options.ts";

/** Creates the object of the body (JSON, YAML or protobuf) and replies 201 with it. */
export const createObject: Handler = async (ctx, r) => {
  const body = decodeObject(await readBody(r.req, ctx.limits.maxBodyBytes), r.req.headers["content-type"]);
  if (!isPlainObject(body)) throw badRequest(`the body of the request must be a ${r.info.kind} object`);
  const options = { ...writeOptions(r.url, "CreateOptions"), updateManager: updateManagerOf(r.req, r.url) };
  const stored = await ctx.service.create(r.info, r.namespace, body as KubeObject, options);
  setWarnings(r.res, options.warnings);
  sendObject(ctx, r, stored, 201);
};
