/**
 * `fieldValidation` of writes to built-in kinds, as the real apiserver decodes bodies: a value of the wrong type is
 * always refused; a field the kind does not have is refused under `Strict` (what kubectl sends), reported in a
 * `Warning` header under `Warn` (the default), and dropped silently under `Ignore`. Unknown fields never reach the
 * store either way: a decoder that does not know a field cannot keep it.
 *
 * @module
 */
import { isPlainObject, type JsonObject, type JsonValue, type KubeObject } from "../../kube/index.ts";
import { decodeCheck, KIND_SCHEMAS, type StructSchema } from "./schemas/index.ts";
import { badRequest, invalid, StatusError } from "./status_error.ts";
import type { ResourceInfo } from "./types.ts";

/** The three levels of the `fieldValidation` query parameter. */
export type FieldValidation = "Strict" | "Warn" | "Ignore";

/**
 * Reads `fieldValidation` from a request URL.
 *
 * @param optionsKind the options kind of the verb, named in the error (`CreateOptions`, `UpdateOptions`, `PatchOptions`)
 * @throws StatusError 422 for another value
 */
export function fieldValidationOf(url: URL, optionsKind: string): FieldValidation {
  const v = url.searchParams.get("fieldValidation");
  if (v === null || v === "") return "Warn";
  if (v === "Strict" || v === "Warn" || v === "Ignore") return v;
  throw invalid(optionsKind, "meta.k8s.io", "", [{
    reason: "FieldValueNotSupported", field: "fieldValidation",
    message: `Unsupported value: ${JSON.stringify(v)}: supported values: "", "Ignore", "Strict", "Warn"`,
  }]);
}

/** The schema of a kind we describe, or undefined (custom resources, kinds kept open). */
export function kindSchema(info: ResourceInfo): StructSchema | undefined {
  return info.crd ? undefined : KIND_SCHEMAS[`${info.group}/${info.kind}`];
}

/** Removes the fields at `paths` (as decodeCheck names them) from `obj`. */
function dropFields(obj: JsonObject, paths: readonly string[]): void {
  for (const path of paths) {
    const steps = path.match(/[^.[\]]+|\[\d+\]/g) ?? [];
    let at: JsonValue | undefined = obj;
    for (let i = 0; i < steps.length - 1 && at !== undefined; i++) {
      const s = steps[i]!;
      at = s.startsWith("[") ? (Array.isArray(at) ? at[Number(s.slice(1, -1))] : undefined) : isPlainObject(at) ? at[s] : undefined;
    }
    const last = steps[steps.length - 1];
    if (last && isPlainObject(at)) delete at[last];
  }
}

/** How a write failed to decode: a create/update body (400) or the result of a patch (422). */
export type DecodeContext = "body" | "patch";

/**
 * Checks an object a write would store against its kind's schema, and removes unknown fields from it.
 *
 * @param obj the body (create, update) or the patched object; unknown fields are deleted from it
 * @param warnings collects `unknown field "x"` texts under `Warn`
 * @throws StatusError 400 (body) or 422 (patch) for a wrong type, 400 for unknown fields under `Strict`
 */
export function checkFields(info: ResourceInfo, obj: KubeObject, mode: FieldValidation, warnings: string[], context: DecodeContext = "body"): void {
  const schema = kindSchema(info);
  if (!schema) return;
  const found = decodeCheck(schema, obj);
  const prefix = `${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: `;
  if (found.typeError) {
    if (context === "body") throw badRequest(prefix + found.typeError);
    // The real apiserver quotes the whole patched object here; it is the object the client itself produced.
    const cause = { reason: "FieldValueInvalid", field: "patch", message: `Invalid value: ${JSON.stringify(JSON.stringify(obj))}: ${found.typeError}` };
    throw new StatusError(422, "Invalid", ` "" is invalid: patch: ${cause.message}`, { causes: [cause] });
  }
  if (found.unknown.length === 0) return;
  const texts = found.unknown.map((p) => `unknown field ${JSON.stringify(p)}`);
  if (mode === "Strict") throw badRequest(`${prefix}strict decoding error: ${texts.join(", ")}`);
  if (mode === "Warn") warnings.push(...texts);
  dropFields(obj, found.unknown);
}
