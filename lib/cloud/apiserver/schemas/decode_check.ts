/**
 * What the real apiserver's JSON decoding finds in a body: the first value of a wrong type (decoding stops there,
 * `json: cannot unmarshal string into Go struct field NodeStatus.status.conditions of type []v1.NodeCondition`) and
 * every field the kind does not have, in document order (`unknown field "spec.foo"`).
 *
 * A value of the wrong type is refused whatever `fieldValidation` says: stored, it would break every reader.
 *
 * @module
 */
import { isPlainObject, type JsonValue } from "../../../kube/index.ts";
import type { StructSchema, TypeSchema } from "./type_schema.ts";

/** The outcome of {@link decodeCheck}. */
export type DecodeFindings = {
  /** The first type error, in Go's words; undefined when every value fits. */
  typeError?: string;
  /** Paths of fields the schema does not have (`spec.containers[0].imagex`). */
  unknown: string[];
};

const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const QUANTITY_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

function jsonKind(v: JsonValue): string {
  if (Array.isArray(v)) return "array";
  if (isPlainObject(v)) return "object";
  if (typeof v === "boolean") return "bool";
  return typeof v;
}

type Where = { struct: string; path: string };

class Stop extends Error {}

/**
 * Checks a decoded object against the schema of its kind.
 *
 * @param schema the kind's struct
 * @param obj the decoded body (or a patched object)
 * @returns the first type error and the unknown fields
 */
export function decodeCheck(schema: StructSchema, obj: JsonValue): DecodeFindings {
  const findings: DecodeFindings = { unknown: [] };
  const fail = (value: JsonValue, at: Where, go: string, number = false): never => {
    const what = number ? `number ${String(value)}` : jsonKind(value);
    const field = at.path ? `Go struct field ${at.struct}.${at.path}` : "Go value";
    findings.typeError = `json: cannot unmarshal ${what} into ${field} of type ${go}`;
    throw new Stop();
  };
  const visit = (t: TypeSchema, value: JsonValue, at: Where, shown: string): void => {
    if (value === null) return;
    switch (t.type) {
      case "string":
        if (typeof value !== "string") fail(value, at, t.go);
        return;
      case "boolean":
        if (typeof value !== "boolean") fail(value, at, t.go);
        return;
      case "integer": {
        if (typeof value !== "number") fail(value, at, t.go);
        const limit = t.go === "int32" ? 2 ** 31 : 2 ** 63;
        if (!Number.isInteger(value) || (value as number) < -limit || (value as number) >= limit) fail(value, at, t.go, true);
        return;
      }
      case "quantity":
        if (typeof value === "number") return;
        if (typeof value !== "string") fail(value, at, t.go);
        if (!QUANTITY.test((value as string).trim())) {
          findings.typeError = QUANTITY_ERROR;
          throw new Stop();
        }
        return;
      case "intOrString":
        // what is not a JSON string is decoded as the int32 half, and named so in the error
        if (typeof value === "string") return;
        if (typeof value !== "number") fail(value, at, "int32");
        if (!Number.isInteger(value) || (value as number) < -(2 ** 31) || (value as number) >= 2 ** 31) fail(value, at, "int32", true);
        return;
      case "time":
        if (typeof value !== "string") {
          findings.typeError = `json: cannot unmarshal ${jsonKind(value)} into Go value of type string`;
          throw new Stop();
        }
        return;
      case "any":
        return;
      case "map":
        if (!isPlainObject(value)) fail(value, at, t.go);
        for (const [k, v] of Object.entries(value as Record<string, JsonValue>)) visit(t.of, v, at, `${shown}[${k}]`);
        return;
      case "list":
        if (!Array.isArray(value)) fail(value, at, t.go);
        (value as JsonValue[]).forEach((v, i) => visit(t.of, v, at, `${shown}[${i}]`));
        return;
      case "struct": {
        if (!isPlainObject(value)) fail(value, at, t.go);
        for (const [k, v] of Object.entries(value as Record<string, JsonValue>)) {
          const path = at.path ? `${at.path}.${k}` : k;
          const fieldShown = shown ? `${shown}.${k}` : k;
          const child = t.fields[k];
          if (child) visit(child, v, { struct: t.name, path }, fieldShown);
          else if (!t.open) findings.unknown.push(fieldShown);
        }
        return;
      }
    }
  };
  try {
    visit(schema, obj, { struct: schema.name, path: "" }, "");
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
  }
  return findings;
}
