/**
 * Small rules of the write path: which metadata the server owns, what counts for generation and for a no-op, the
 * identity checks of a request body, and generated names.
 *
 * @module
 */
import { isPlainObject, type JsonObject, type JsonValue, type KubeObject } from "../../kube/index.ts";
import { badRequest } from "./status_error.ts";
import type { ResourceInfo } from "./types.ts";

/** Metadata the server owns: clients cannot set or change it through a write. */
export const SYSTEM_METADATA = ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"] as const;

const NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";

/** True for the CustomResourceDefinition resource itself (not a custom resource). */
export function isCrdResource(info: ResourceInfo): boolean {
  return info.group === "apiextensions.k8s.io" && info.resource === "customresourcedefinitions";
}

/** `apps/v1`, `v1`: the apiVersion of a resource at a version. */
export function apiVersionOf(info: ResourceInfo, version = info.version): string {
  return info.group ? `${info.group}/${version}` : version;
}

/** The version an object asks for, when the resource serves it; else the storage version. */
export function versionOf(obj: KubeObject, info: ResourceInfo): string {
  const av = typeof obj.apiVersion === "string" ? obj.apiVersion : "";
  const v = av.includes("/") ? av.slice(av.indexOf("/") + 1) : av;
  return info.versions.includes(v) ? v : info.version;
}

/** The 5-character suffix of a generateName (consonants and digits, as the real apiserver picks). */
export function randomSuffix(): string {
  let s = "";
  for (let i = 0; i < 5; i++) s += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
  return s;
}

/** The parts generation counts: everything but metadata and status. */
export function specPart(obj: KubeObject): JsonObject {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

/**
 * An object without the fields a no-op update may differ in: the resourceVersion and the times of managedFields
 * entries (a manager that newly owns a field is a change; one that re-applies the same fields is not).
 */
export function comparable(obj: KubeObject): JsonObject {
  const { resourceVersion: _rv, managedFields, ...meta } = obj.metadata ?? {};
  if (!Array.isArray(managedFields)) return { ...obj, metadata: meta };
  const entries = managedFields.map(({ time: _t, ...rest }) => rest) as unknown as JsonValue;
  return { ...obj, metadata: { ...meta, managedFields: entries } };
}

/**
 * A pod update that leaves out fields admission set at creation (service account, node, priority, default
 * tolerations) keeps them, so `kubectl replace -f` with the original manifest works.
 */
export function keepAdmittedPodFields(obj: KubeObject, prev: KubeObject): void {
  if (!isPlainObject(prev.spec)) return;
  const spec = isPlainObject(obj.spec) ? obj.spec : (obj.spec = {});
  for (const [k, v] of Object.entries(prev.spec)) if (spec[k] === undefined) spec[k] = structuredClone(v);
}

/**
 * Checks that a body is an object of the resource's kind; with `name`, that it names the object of the URL.
 *
 * @throws StatusError 400 on a mismatch
 */
export function checkIdentity(info: ResourceInfo, body: KubeObject, namespace: string, name?: string): void {
  if (!isPlainObject(body)) throw badRequest(`the body of the request must be a ${info.kind} object`);
  if (body.kind !== undefined && body.kind !== info.kind) {
    throw badRequest(`the kind of the provided object (${String(body.kind)}) does not match the expected kind (${info.kind})`);
  }
  const meta = isPlainObject(body.metadata) ? body.metadata : undefined;
  if (name !== undefined && meta?.name !== undefined && meta.name !== name) {
    throw badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`);
  }
  if (info.namespaced && meta?.namespace && namespace && meta.namespace !== namespace) {
    throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }
}
