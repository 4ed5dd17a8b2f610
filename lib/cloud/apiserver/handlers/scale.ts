/**
 * The `scale` subresource of deployments, replica sets and custom resources that declare one: an `autoscaling/v1
 * Scale` view of the replica count (`kubectl scale` must get a Scale back).
 *
 * @module
 */
import {
  getPath, isPlainObject, labelSelectorFromObject, selectorToString, setPath, type JsonValue, type KubeObject,
} from "../../../kube/index.ts";
import { decodeObject, mediaType, parseJson, readBody, sendJson } from "../http_io.ts";
import { PATCH_TYPES } from "../patching.ts";
import { applyJsonPatch, jsonMergePatch } from "../../../kube/index.ts";
import { badRequest, conflict, StatusError, unsupportedMediaType } from "../status_error.ts";
import type { ResourceInfo } from "../types.ts";
import type { Handler } from "./context.ts";
import { writeOptions } from "./write_options.ts";

function selectorText(value: JsonValue | undefined): string | undefined {
  if (typeof value === "string") return value;
  if (!isPlainObject(value)) return undefined;
  return selectorToString(labelSelectorFromObject(value as Parameters<typeof labelSelectorFromObject>[0]));
}

/** The Scale view of an object. */
export function toScale(info: ResourceInfo, obj: KubeObject): KubeObject {
  const paths = info.scale!;
  const meta = obj.metadata!;
  const status: Record<string, JsonValue> = { replicas: Number(getPath(obj, paths.statusReplicasPath) ?? 0) };
  const selector = paths.labelSelectorPath ? selectorText(getPath(obj, paths.labelSelectorPath)) : undefined;
  if (selector !== undefined) status.selector = selector;
  const scaleMeta: Record<string, JsonValue> = { name: meta.name!, uid: meta.uid ?? "", resourceVersion: meta.resourceVersion ?? "" };
  if (meta.namespace) scaleMeta.namespace = meta.namespace;
  if (meta.creationTimestamp) scaleMeta.creationTimestamp = meta.creationTimestamp;
  return {
    kind: "Scale", apiVersion: "autoscaling/v1", metadata: scaleMeta,
    spec: { replicas: Number(getPath(obj, paths.specReplicasPath) ?? 0) }, status,
  };
}

/** GET, PUT and PATCH of `<resource>/<name>/scale`. */
export const scaleHandler: Handler = async (ctx, r) => {
  const current = ctx.service.get(r.info, r.namespace, r.name);
  const method = r.req.method ?? "GET";
  if (method === "GET") {
    sendJson(r.res, 200, toScale(r.info, current.object));
    return;
  }
  const raw = await readBody(r.req, ctx.limits.maxBodyBytes);
  let wanted: KubeObject;
  if (method === "PUT") {
    const body = decodeObject(raw, r.req.headers["content-type"]);
    if (!isPlainObject(body)) throw badRequest("the body of the request must be a Scale object");
    wanted = body as KubeObject;
  } else {
    const type = mediaType(r.req.headers["content-type"]);
    const patch = parseJson(raw);
    const base = toScale(r.info, current.object);
    try {
      if (type === PATCH_TYPES.json) wanted = applyJsonPatch(base, patch) as KubeObject;
      // Scale has no keyed lists, so a strategic merge patch is a merge patch here.
      else if (type === PATCH_TYPES.merge || type === PATCH_TYPES.strategic) wanted = jsonMergePatch(base, patch) as KubeObject;
      else throw unsupportedMediaType(type, [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.strategic]);
    } catch (err) {
      if (err instanceof StatusError) throw err;
      throw badRequest((err as Error).message);
    }
  }
  const rv = wanted.metadata?.resourceVersion;
  if (rv && rv !== String(current.rv)) throw conflict(r.info, r.name);
  const replicas = getPath(wanted, "spec.replicas");
  if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0) {
    throw badRequest(`Scale.autoscaling "${r.name}" is invalid: spec.replicas: must be a non-negative integer`);
  }
  const next = structuredClone(current.object);
  setPath(next, r.info.scale!.specReplicasPath, replicas);
  const stored = await ctx.service.commitUpdate(r.info, current, next, { ...writeOptions(r.url, "UpdateOptions"), subresource: "scale" });
  sendJson(r.res, 200, toScale(r.info, stored.object));
};
