/**
 * API discovery: the aggregated `APIGroupDiscoveryList` that kubectl 1.26+ asks for, with its exact
 * Content-Type, and the legacy documents (`APIVersions`, `APIGroupList`, `APIGroup`, `APIResourceList`) for clients
 * that do not ask for it (client-node, older tools).
 *
 * @module
 */
import type { Registry, ServedGroup } from "./registry.ts";
import type { ResourceInfo, SubresourceName } from "./types.ts";

const VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

const SUBRESOURCES: Record<SubresourceName, { kind: (info: ResourceInfo) => { group: string; version: string; kind: string }; verbs: string[] }> = {
  status: { kind: (i) => ({ group: i.group, version: i.version, kind: i.kind }), verbs: ["get", "patch", "update"] },
  scale: { kind: () => ({ group: "autoscaling", version: "v1", kind: "Scale" }), verbs: ["get", "patch", "update"] },
  binding: { kind: () => ({ group: "", version: "v1", kind: "Binding" }), verbs: ["create"] },
  log: { kind: () => ({ group: "", version: "v1", kind: "Pod" }), verbs: ["get"] },
  exec: { kind: () => ({ group: "", version: "v1", kind: "PodExecOptions" }), verbs: ["create", "get"] },
  token: { kind: () => ({ group: "authentication.k8s.io", version: "v1", kind: "TokenRequest" }), verbs: ["create"] },
};

/** The Content-Type of aggregated discovery; kubectl ignores the body under any other type. */
export function aggregatedContentType(version: "v2" | "v2beta1"): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

/** Which aggregated discovery version the Accept header asks for, if any (v2 preferred). */
export function aggregatedVersionAccepted(accept: string | undefined): "v2" | "v2beta1" | undefined {
  const parts = (accept ?? "").split(",").map((p) => p.replace(/\s+/g, ""));
  const asks = (v: string) => parts.some((p) => p.includes("g=apidiscovery.k8s.io") && p.includes(`v=${v}`) && p.includes("as=APIGroupDiscoveryList"));
  return asks("v2") ? "v2" : asks("v2beta1") ? "v2beta1" : undefined;
}

function discoveryResource(info: ResourceInfo, version: string): object {
  const r: Record<string, unknown> = {
    resource: info.resource,
    responseKind: { group: info.group, version, kind: info.kind },
    scope: info.namespaced ? "Namespaced" : "Cluster",
    singularResource: info.singular,
    verbs: info.verbs ?? VERBS,
  };
  if (info.shortNames.length) r.shortNames = info.shortNames;
  if (info.categories.length) r.categories = info.categories;
  if (info.subresources.length) {
    r.subresources = info.subresources.map((s) => {
      const kind = SUBRESOURCES[s].kind(info);
      return { subresource: s, responseKind: s === "status" ? { ...kind, version } : kind, verbs: SUBRESOURCES[s].verbs };
    });
  }
  return r;
}

function discoveryGroup(g: ServedGroup): object {
  return {
    metadata: g.name ? { name: g.name, creationTimestamp: null } : { creationTimestamp: null },
    versions: g.versions.map((v) => ({
      version: v.version,
      resources: v.resources.map((r) => discoveryResource(r, v.version)),
      freshness: "Current",
    })),
  };
}

/**
 * The aggregated discovery document of `/api` (core only) or `/apis` (every named group).
 *
 * @param core true for `/api`
 */
export function aggregatedDiscovery(registry: Registry, core: boolean, version: "v2" | "v2beta1"): object {
  const groups = registry.groups().filter((g) => (g.name === "") === core);
  return { kind: "APIGroupDiscoveryList", apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items: groups.map(discoveryGroup) };
}

/** `/api` in the legacy form. */
export function apiVersions(serverAddress: string): object {
  return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] };
}

function apiGroup(g: ServedGroup): object {
  const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v.version}`, version: v.version }));
  return { name: g.name, versions, preferredVersion: versions[0] };
}

/** `/apis` in the legacy form. */
export function apiGroupList(registry: Registry): object {
  return { kind: "APIGroupList", apiVersion: "v1", groups: registry.groups().filter((g) => g.name !== "").map(apiGroup) };
}

/** `/apis/<group>`, or undefined when the group is not served. */
export function apiGroupDocument(registry: Registry, group: string): object | undefined {
  const g = registry.groups().find((x) => x.name === group && group !== "");
  return g ? { kind: "APIGroup", apiVersion: "v1", ...apiGroup(g) } : undefined;
}

/** `/api/v1` or `/apis/<group>/<version>`, or undefined when not served. */
export function apiResourceList(registry: Registry, group: string, version: string): object | undefined {
  const g = registry.groups().find((x) => x.name === group);
  const v = g?.versions.find((x) => x.version === version);
  if (!v) return undefined;
  const resources: object[] = [];
  for (const info of v.resources) {
    const r: Record<string, unknown> = { name: info.resource, singularName: info.singular, namespaced: info.namespaced, kind: info.kind, verbs: info.verbs ?? VERBS };
    if (info.shortNames.length) r.shortNames = info.shortNames;
    if (info.categories.length) r.categories = info.categories;
    resources.push(r);
    for (const s of info.subresources) {
      const kind = SUBRESOURCES[s].kind(info);
      const sub: Record<string, unknown> = { name: `${info.resource}/${s}`, singularName: "", namespaced: info.namespaced, kind: kind.kind, verbs: SUBRESOURCES[s].verbs };
      if (s === "scale") Object.assign(sub, { group: "autoscaling", version: "v1" });
      if (s === "token") Object.assign(sub, { group: "authentication.k8s.io", version: "v1" });
      resources.push(sub);
    }
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: group ? `${group}/${version}` : version, resources };
}
