/** PATCH of an object or its status: JSON patch, merge patch, strategic merge patch or server-side apply. */
import { mediaType, parseJson, parseYaml, readBody } from "../http_io.ts";
import { PATCH_TYPES } from "../patching.ts";
import { unsupportedMediaType } from "../status_error.ts";
import type { Handler } from "./context.ts";
import { sendObject } from "./respond.ts";
import { setWarnings, updateManagerOf, writeOptions } from "./write_options.ts";

/** Patches the object and replies 200, or 201 when server-side apply created it. */
export const patchObject: Handler = async (ctx, r) => {
  const type = mediaType(r.req.headers["content-type"]);
  const types: string[] = Object.values(PATCH_TYPES);
  if (!types.includes(type)) throw unsupportedMediaType(type, types);
  const raw = await readBody(r.req, ctx.limits.maxBodyBytes);
  // kubectl sends apply configurations as JSON under the YAML type; YAML parses both.
  const patch = type === PATCH_TYPES.apply ? parseYaml(raw) : parseJson(raw);
  const subresource = r.route.subresource === "status" ? "status" : undefined;
  const options = { ...writeOptions(r.url, "PatchOptions"), updateManager: updateManagerOf(r.req, r.url) };
  const { stored, created } = await ctx.service.patch(r.info, r.namespace, r.name, type, patch, { ...options, subresource });
  setWarnings(r.res, options.warnings);
  sendObject(ctx, r, stored, created ? 201 : 200);
};
