/**
 * The structural-schema rules of apiextensions.k8s.io/v1 that a CRD meets first: every version has a schema, the
 * root and every specified property and array item has a `type` (unless it is int-or-string or keeps unknown
 * fields), and types are the six OpenAPI ones. Messages and field paths are the real apiserver's, which reports a
 * schema shared by all versions under `spec.validation.openAPIV3Schema`.
 *
 * @module
 */
import { deepEqual, getPath, isPlainObject, type JsonObject, type JsonValue, type KubeObject } from "../../kube/index.ts";
import type { StatusCause } from "./status_error.ts";

const TYPES = ["array", "boolean", "integer", "number", "object", "string"];

function checkSchema(schema: JsonObject, field: string, position: "root" | "property" | "item", causes: StatusCause[]): void {
  const type = schema.type;
  const free = schema["x-kubernetes-int-or-string"] === true || schema["x-kubernetes-preserve-unknown-fields"] === true;
  if (type === undefined || type === "") {
    if (!free) {
      const where = position === "root" ? "at the root" : position === "property" ? "for specified object fields" : "for specified array items";
      causes.push({ reason: "FieldValueRequired", field: `${field}.type`, message: `Required value: must not be empty ${where}` });
    }
  } else if (typeof type !== "string" || !TYPES.includes(type)) {
    causes.push({
      reason: "FieldValueNotSupported", field: `${field}.type`,
      message: `Unsupported value: ${JSON.stringify(type)}: supported values: ${TYPES.map((t) => JSON.stringify(t)).join(", ")}`,
    });
  }
  if (isPlainObject(schema.properties)) {
    for (const [name, sub] of Object.entries(schema.properties)) {
      if (isPlainObject(sub)) checkSchema(sub, `${field}.properties[${name}]`, "property", causes);
    }
  }
  if (isPlainObject(schema.items)) checkSchema(schema.items, `${field}.items`, "item", causes);
  if (isPlainObject(schema.additionalProperties)) checkSchema(schema.additionalProperties, `${field}.additionalProperties`, "property", causes);
}

/**
 * Checks the schemas of a CRD's versions.
 *
 * @returns the causes; empty when every schema is structural as far as these rules go
 */
export function validateCrdSchemas(crd: KubeObject): StatusCause[] {
  const versions = getPath(crd, "spec.versions");
  if (!Array.isArray(versions) || versions.length === 0) return [];
  const schemas: (JsonValue | undefined)[] = versions.map((v) => (isPlainObject(v) ? getPath(v, "schema.openAPIV3Schema") : undefined));
  const causes: StatusCause[] = [];
  schemas.forEach((s, i) => {
    if (!isPlainObject(s)) causes.push({ reason: "FieldValueRequired", field: `spec.versions[${i}].schema.openAPIV3Schema`, message: "Required value: schemas are required" });
  });
  if (causes.length) return causes;
  const shared = schemas.every((s) => deepEqual(s, schemas[0]));
  if (shared) checkSchema(schemas[0] as JsonObject, "spec.validation.openAPIV3Schema", "root", causes);
  else schemas.forEach((s, i) => checkSchema(s as JsonObject, `spec.versions[${i}].schema.openAPIV3Schema`, "root", causes));
  return causes;
}
