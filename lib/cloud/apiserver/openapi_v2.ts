/**
 * OpenAPI v2 of the built-in kinds, derived from the v3 documents (`openapi.ts`). kubectl reads it, in protobuf,
 * only to validate the items of a `kind: List` file before sending them (`kubectl apply -f list.yaml`): the v3
 * documents declare `fieldValidation` per kind, and a List is no kind the server serves. With these definitions an
 * item with an unknown field is refused by kubectl itself, before any item is created, as against a real cluster.
 *
 * A struct whose field list is partial (`open` in `schemas/`) is given here as a plain object, so kubectl never
 * refuses a field we did not write down. Custom resources have no definition: kubectl then leaves their items to
 * the server's own checks.
 *
 * @module
 */
import { lengthDelimited as ld, message } from "./protobuf/proto_writer.ts";
import type { OpenApiDocs } from "./openapi.ts";

/** The content type kubectl asks for and gets. */
export const OPENAPI_V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

type Schema = Record<string, unknown>;

const V3_REF = "#/components/schemas/";

/** One v3 schema as v2 wants it: plain `$ref`s, named scalars typed as strings, open structs without fields. */
function toV2(s: Schema): Schema {
  const allOf = s.allOf as Schema[] | undefined;
  if (allOf?.length === 1 && typeof allOf[0]!.$ref === "string") {
    return { ...(s.description ? { description: s.description } : {}), $ref: (allOf[0]!.$ref as string).replace(V3_REF, "#/definitions/") };
  }
  const out: Schema = {};
  for (const k of ["description", "type", "format", "required", "x-kubernetes-group-version-kind"]) if (s[k] !== undefined) out[k] = s[k];
  if (out.type === undefined && (s.format === "int-or-string" || s.format === "quantity")) out.type = "string";
  if (s.items) out.items = toV2(s.items as Schema);
  if (s.additionalProperties) out.additionalProperties = toV2(s.additionalProperties as Schema);
  if (s.properties && !s["x-kubernetes-preserve-unknown-fields"]) {
    out.properties = Object.fromEntries(Object.entries(s.properties as Record<string, Schema>).map(([k, v]) => [k, toV2(v)]));
  } else delete out.required;
  return out;
}

/**
 * The v2 document (JSON form) of every built-in kind the v3 documents describe.
 *
 * @example
 * ```ts
 * openApiV2(docs).definitions["io.k8s.api.core.v1.ConfigMap"]["x-kubernetes-group-version-kind"]; // [{ group: "", version: "v1", kind: "ConfigMap" }]
 * ```
 */
export function openApiV2(docs: OpenApiDocs): { swagger: string; info: object; definitions: Record<string, Schema> } {
  const definitions: Record<string, Schema> = {};
  for (const text of docs.docs.values()) {
    const schemas = (JSON.parse(text) as { components?: { schemas?: Record<string, Schema> } }).components?.schemas ?? {};
    for (const [name, s] of Object.entries(schemas)) {
      const gvk = [...((definitions[name]?.["x-kubernetes-group-version-kind"] as object[]) ?? []), ...((s["x-kubernetes-group-version-kind"] as object[]) ?? [])];
      definitions[name] = toV2(s);
      if (gvk.length) definitions[name]["x-kubernetes-group-version-kind"] = gvk;
    }
  }
  return { swagger: "2.0", info: { title: "Kubernetes", version: "v1.32.4" }, definitions };
}

/** A v2 Schema message (field numbers of the gnostic OpenAPI v2 proto kubectl decodes). */
function encodeSchema(s: Schema): Uint8Array {
  const named = (name: string, value: Uint8Array) => message([ld(1, name), ld(2, value)]);
  const gvk = s["x-kubernetes-group-version-kind"];
  return message([
    typeof s.$ref === "string" ? ld(1, s.$ref) : undefined,
    typeof s.format === "string" ? ld(2, s.format) : undefined,
    typeof s.description === "string" ? ld(4, s.description) : undefined,
    ...((s.required as string[] | undefined) ?? []).map((r) => ld(19, r)),
    s.additionalProperties ? ld(21, ld(1, encodeSchema(s.additionalProperties as Schema))) : undefined,
    typeof s.type === "string" ? ld(22, ld(1, s.type)) : undefined,
    s.items ? ld(23, ld(1, encodeSchema(s.items as Schema))) : undefined,
    s.properties ? ld(25, message(Object.entries(s.properties as Record<string, Schema>).map(([k, v]) => ld(1, named(k, encodeSchema(v)))))) : undefined,
    // a vendor extension's value travels as YAML text; JSON is YAML
    gvk ? ld(31, named("x-kubernetes-group-version-kind", ld(2, JSON.stringify(gvk)))) : undefined,
  ]);
}

/** The v2 document in protobuf, as kubectl requests it. */
export function encodeOpenApiV2(doc: ReturnType<typeof openApiV2>): Uint8Array {
  const info = doc.info as { title: string; version: string };
  return message([
    ld(1, doc.swagger),
    ld(2, message([ld(1, info.title), ld(2, info.version)])),
    ld(9, message(Object.entries(doc.definitions).map(([name, s]) => ld(1, message([ld(1, name), ld(2, encodeSchema(s))]))))),
  ]);
}
