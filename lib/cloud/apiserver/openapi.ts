/**
 * The OpenAPI kubectl reads: an index of group versions, and per group version one PATCH
 * operation per kind that takes the `fieldValidation` parameter, so kubectl leaves validation to the server, plus
 * the schemas of the built-in kinds described in `schemas/` (what `kubectl explain` shows).
 * OpenAPI v2 is not served: kubectl reads it only in protobuf, to validate the items of a `kind: List` file
 * client-side (`kubectl apply --validate=false -f list.yaml` works; the server still checks each item).
 *
 * Custom resources have no schema here: kubectl then builds JSON merge patches for them and explains nothing.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { Registry } from "./registry.ts";
import { KIND_SCHEMAS } from "./schemas/index.ts";
import { addKindSchemas } from "./schemas/openapi_schemas.ts";

/** The index and documents for one registry generation. */
export type OpenApiDocs = {
  index: object;
  /** Documents by `api/v1` or `apis/<group>/<version>`, serialised. */
  docs: Map<string, string>;
};

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** A PATCH operation that declares the write parameters kubectl looks for, `fieldValidation` above all. */
function patchOperation(group: string, version: string, kind: string, namespaced: boolean): object {
  return {
    patch: {
      operationId: `patch${kind}`,
      "x-kubernetes-group-version-kind": { group, version, kind },
      "x-kubernetes-action": "patch",
      parameters: [
        { name: "name", in: "path", required: true, schema: { type: "string" } },
        ...(namespaced ? [{ name: "namespace", in: "path", required: true, schema: { type: "string" } }] : []),
        { name: "dryRun", in: "query", schema: { type: "string" } },
        { name: "fieldManager", in: "query", schema: { type: "string" } },
        { name: "fieldValidation", in: "query", schema: { type: "string" } },
        { name: "force", in: "query", schema: { type: "boolean" } },
      ],
      responses: { "200": { description: "OK" } },
    },
  };
}

/**
 * Builds the OpenAPI v3 index and documents for every served group version.
 *
 * @example The index names each group version
 * ```ts
 * buildOpenApi(registry).index; // { paths: { "api/v1": { serverRelativeURL: "/openapi/v3/api/v1?hash=…" }, … } }
 * ```
 */
export function buildOpenApi(registry: Registry): OpenApiDocs {
  const docs = new Map<string, string>();
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const g of registry.groups()) {
    for (const v of g.versions) {
      const ops: Record<string, object> = {};
      const schemas: Record<string, object> = {};
      for (const info of v.resources) {
        const described = info.crd ? undefined : KIND_SCHEMAS[`${info.group}/${info.kind}`];
        if (described) {
          const gvk = { group: g.name, version: v.version, kind: info.kind };
          addKindSchemas(schemas, g.name, gvk, described);
        }
        const prefix = `/${gvPath(g.name, v.version)}`;
        const path = info.namespaced ? `${prefix}/namespaces/{namespace}/${info.resource}/{name}` : `${prefix}/${info.resource}/{name}`;
        ops[path] = patchOperation(g.name, v.version, info.kind, info.namespaced);
      }
      const doc = JSON.stringify({ openapi: "3.0.0", info: { title: "Kubernetes", version: "v1.32.4" }, paths: ops, components: { schemas } });
      const key = gvPath(g.name, v.version);
      docs.set(key, doc);
      const hash = createHash("sha512").update(doc).digest("hex").toUpperCase();
      paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
    }
  }
  return { index: { paths }, docs };
}
