/** POST `pods/<name>/binding`: how a scheduler assigns a pod to a node (spec.nodeName can't be set by an update). */
import { isPlainObject, type JsonObject } from "../../../kube/index.ts";
import { decodeObject, readBody, sendJson } from "../http_io.ts";
import { badRequest, conflict } from "../status_error.ts";
import type { Handler } from "./context.ts";
import { writeOptions } from "./write_options.ts";

/** Binds the pod to the Binding's target node, sets PodScheduled, replies 201 with a Success Status. */
export const bindPod: Handler = async (ctx, r) => {
  const body = decodeObject(await readBody(r.req, ctx.limits.maxBodyBytes), r.req.headers["content-type"]);
  const target = isPlainObject(body) && isPlainObject(body.target) ? body.target : undefined;
  if (!target || typeof target.name !== "string" || !target.name) throw badRequest("Binding.target.name is required");
  const current = ctx.service.get(r.info, r.namespace, r.name);
  const spec = (current.object.spec ?? {}) as JsonObject;
  if (spec.nodeName) throw conflict(r.info, r.name, `pod ${r.name} is already assigned to node "${String(spec.nodeName)}"`);
  const next = structuredClone(current.object);
  (next.spec as JsonObject).nodeName = target.name;
  const status = (next.status = isPlainObject(next.status) ? next.status : {});
  const conditions = (Array.isArray(status.conditions) ? status.conditions : []).filter((c) => !(isPlainObject(c) && c.type === "PodScheduled"));
  conditions.push({ type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, "Z") });
  status.conditions = conditions;
  await ctx.service.commitUpdate(r.info, current, next, { ...writeOptions(r.url, "CreateOptions"), subresource: "binding" });
  sendJson(r.res, 201, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
};
