/**
 * Maps a request path to what it addresses: a discovery or OpenAPI document, a health check, or a resource
 * (collection, object, or subresource) of a group version.
 *
 * @module
 */

/** What a path addresses. Resource paths are not checked against the registry here. */
export type Route =
  | { type: "version" }
  | { type: "health"; check: "healthz" | "readyz" | "livez" }
  | { type: "apiVersions" }
  | { type: "apiGroups" }
  | { type: "apiGroup"; group: string }
  | { type: "resourceList"; group: string; version: string }
  | { type: "openapiIndex" }
  | { type: "openapiDoc"; group: string; version: string }
  | { type: "openapiV2" }
  | ResourceRoute
  | { type: "unknown" };

/** A path under `/api/v1` or `/apis/<group>/<version>` naming a resource. */
export type ResourceRoute = {
  type: "resource";
  group: string;
  version: string;
  resource: string;
  /** The namespace of `/namespaces/<ns>/<resource>` paths; undefined for cluster-wide paths. */
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The deprecated `/watch/` path form. */
  watchPath: boolean;
};

function resourcePath(group: string, version: string, rest: string[]): Route {
  let watchPath = false;
  if (rest[0] === "watch") {
    watchPath = true;
    rest = rest.slice(1);
  }
  const base = { type: "resource" as const, group, version, watchPath };
  // `namespaces/<ns>/<resource>...` is a namespaced resource; `namespaces[/<name>[/status]]` is the Namespace itself.
  if (rest[0] === "namespaces" && rest.length >= 3 && !(group === "" && rest.length === 3 && (rest[2] === "status" || rest[2] === "finalize"))) {
    const [, namespace, resource, name, subresource, ...extra] = rest;
    if (extra.length || !resource) return { type: "unknown" };
    return { ...base, namespace, resource, name, subresource };
  }
  const [resource, name, subresource, ...extra] = rest;
  if (extra.length || !resource) return { type: "unknown" };
  return { ...base, resource, name, subresource };
}

/**
 * Parses a request path (without the query string).
 *
 * @example Routes
 * ```ts
 * parseRoute("/api/v1/namespaces/default/pods/web/log"); // { type: "resource", group: "", version: "v1", resource: "pods", namespace: "default", name: "web", subresource: "log", watchPath: false }
 * parseRoute("/apis/apps/v1"); // { type: "resourceList", group: "apps", version: "v1" }
 * ```
 */
export function parseRoute(pathname: string): Route {
  const parts = pathname.split("/").filter((p) => p !== "").map((p) => decodeURIComponent(p));
  const [first, second, third, ...rest] = parts;
  if (parts.length === 1 && (first === "healthz" || first === "readyz" || first === "livez")) return { type: "health", check: first };
  if (parts.length === 1 && first === "version") return { type: "version" };
  if (first === "api") {
    if (parts.length === 1) return { type: "apiVersions" };
    if (second !== "v1") return { type: "unknown" };
    if (parts.length === 2) return { type: "resourceList", group: "", version: "v1" };
    return resourcePath("", "v1", parts.slice(2));
  }
  if (first === "apis") {
    if (parts.length === 1) return { type: "apiGroups" };
    if (parts.length === 2) return { type: "apiGroup", group: second! };
    if (parts.length === 3) return { type: "resourceList", group: second!, version: third! };
    return resourcePath(second!, third!, rest);
  }
  if (first === "openapi") {
    if (second === "v2" && parts.length === 2) return { type: "openapiV2" };
    if (second !== "v3") return { type: "unknown" };
    if (parts.length === 2) return { type: "openapiIndex" };
    if (third === "api" && rest.length === 1) return { type: "openapiDoc", group: "", version: rest[0]! };
    if (third === "apis" && rest.length === 2) return { type: "openapiDoc", group: rest[0]!, version: rest[1]! };
  }
  return { type: "unknown" };
}
