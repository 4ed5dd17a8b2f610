/**
 * OpenAPI v3 schemas from the kind descriptions (`core_schemas.ts`), for `kubectl explain`. Each struct becomes one
 * named schema; fields refer to it.
 *
 * @module
 */
import { KIND_SCHEMAS } from "./core_schemas.ts";
import type { StructSchema, TypeSchema } from "./type_schema.ts";

/** Every struct a core kind reaches: those keep their core name wherever used (a Deployment's `PodSpec` too). */
const CORE_STRUCTS: ReadonlySet<StructSchema> = (() => {
  const seen = new Set<StructSchema>();
  const walk = (t: TypeSchema) => {
    if (t.type === "map" || t.type === "list") walk(t.of);
    else if (t.type === "struct" && !seen.has(t)) {
      seen.add(t);
      Object.values(t.fields).forEach(walk);
    }
  };
  for (const [key, top] of Object.entries(KIND_SCHEMAS)) if (key.startsWith("/")) Object.values(top.fields).forEach(walk);
  return seen;
})();

/** The name a struct's schema gets in a document of the group (`io.k8s.api.core.v1.PodSpec`). */
export function schemaName(group: string, s: StructSchema): string {
  if (CORE_STRUCTS.has(s)) group = "";
  if (s.name === "ObjectMeta" || s.name === "OwnerReference" || s.name === "ManagedFieldsEntry" || s.name.startsWith("LabelSelector")) {
    return `io.k8s.apimachinery.pkg.apis.meta.v1.${s.name}`;
  }
  if (group === "apiextensions.k8s.io") return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.${s.name}`;
  return `io.k8s.api.${group === "" ? "core" : group.split(".")[0]}.v1.${s.name}`;
}

/**
 * Adds the schemas of one kind (its struct and every struct it reaches) to `out`.
 *
 * @param gvk the kind's group, version and kind, set as `x-kubernetes-group-version-kind` on its top schema
 */
export function addKindSchemas(out: Record<string, object>, group: string, gvk: { group: string; version: string; kind: string }, top: StructSchema): void {
  const convert = (t: TypeSchema): Record<string, unknown> => {
    const d = t.description ? { description: t.description } : {};
    switch (t.type) {
      case "string": return { ...d, type: "string" };
      case "integer": return { ...d, type: "integer", format: t.go };
      case "boolean": return { ...d, type: "boolean" };
      case "quantity": return { ...d, ...scalar("io.k8s.apimachinery.pkg.api.resource.Quantity", "quantity") };
      case "intOrString": return { ...d, ...scalar("io.k8s.apimachinery.pkg.util.intstr.IntOrString", "int-or-string") };
      case "time": return { ...d, type: "string", format: "date-time" };
      case "any": return { ...d, ...opaque(t.go.replace(/^\*/, "")) };
      case "map": return { ...d, type: "object", additionalProperties: convert(t.of) };
      case "list": return { ...d, type: "array", items: convert(t.of) };
      case "struct": {
        // The struct's own description is on its named schema; kubectl prints both, so it is not repeated here.
        const name = schemaName(group, t);
        define(t, name);
        return { allOf: [{ $ref: `#/components/schemas/${name}` }] };
      }
    }
  };
  // Quantity and IntOrString are named string schemas, so `kubectl explain` shows <Quantity> and <IntOrString>.
  const scalar = (name: string, format: string): Record<string, unknown> => {
    // No `type`: the value is a string or a number; explain then shows the schema's name.
    out[name] ??= { format, ...(format === "int-or-string" ? { "x-kubernetes-int-or-string": true } : {}) };
    return { allOf: [{ $ref: `#/components/schemas/${name}` }] };
  };
  // A type we do not describe field by field keeps its Go name, so `kubectl explain` shows <Probe> or
  // <[]EnvFromSource>, and accepts any fields.
  const opaque = (go: string): Record<string, unknown> => {
    if (go.startsWith("[]")) return { type: "array", items: opaque(go.slice(2)) };
    const m = /^v1\.(\w+)$/.exec(go);
    if (!m) return { type: "object", "x-kubernetes-preserve-unknown-fields": true };
    const name = `${schemaName(group, { name: m[1]! } as StructSchema)}`;
    if (!out[name]) out[name] = { type: "object", "x-kubernetes-preserve-unknown-fields": true };
    return { allOf: [{ $ref: `#/components/schemas/${name}` }] };
  };
  const define = (s: StructSchema, name: string) => {
    if (out[name]) return;
    const schema: Record<string, unknown> = { type: "object" };
    out[name] = schema;
    if (s.description) schema.description = s.description;
    // a partial field list: the schema must not make a client refuse what it does not list
    if (s.open) schema["x-kubernetes-preserve-unknown-fields"] = true;
    schema.properties = Object.fromEntries(Object.entries(s.fields).map(([k, v]) => [k, convert(v)]));
    if (s.required?.length) schema.required = [...s.required];
  };
  const name = schemaName(group, top);
  define(top, name);
  (out[name] as Record<string, unknown>)["x-kubernetes-group-version-kind"] = [gvk];
}
