/**
 * The built-in resources the embedded API serves, with the names, short names and subresources that
 * discovery reports, as a real cluster's.
 *
 * @module
 */
import type { ResourceInfo, SubresourceName } from "./types.ts";

/** How a built-in resource is described: only what differs from the usual. */
export type BuiltinSpec = {
  resource: string;
  kind: string;
  singular?: string;
  namespaced?: boolean;
  shortNames?: string[];
  categories?: string[];
  subresources?: SubresourceName[];
  generation?: boolean;
};

/** The full description of a built-in resource. */
export function builtinMake(group: string, version: string, s: BuiltinSpec): ResourceInfo {
  const info: ResourceInfo = {
    group, version, versions: [version], resource: s.resource, kind: s.kind, listKind: `${s.kind}List`,
    singular: s.singular ?? s.kind.toLowerCase(), namespaced: s.namespaced ?? true, shortNames: s.shortNames ?? [],
    categories: s.categories ?? [], subresources: s.subresources ?? [], generation: s.generation ?? false,
  };
  if (info.subresources.includes("scale")) {
    info.scale = { specReplicasPath: "spec.replicas", statusReplicasPath: "status.replicas", labelSelectorPath: "spec.selector" };
  }
  return info;
}

/**
 * The built-in resources, core group first, in the order discovery lists them.
 *
 * @returns fresh descriptions (the registry owns them)
 */
export function builtinResources(): ResourceInfo[] {
  const core = (s: BuiltinSpec) => builtinMake("", "v1", s);
  const apps = (s: BuiltinSpec) => builtinMake("apps", "v1", s);
  return [
    core({ resource: "namespaces", kind: "Namespace", namespaced: false, shortNames: ["ns"], subresources: ["status"] }),
    core({ resource: "nodes", kind: "Node", namespaced: false, shortNames: ["no"], subresources: ["status"] }),
    core({ resource: "pods", kind: "Pod", shortNames: ["po"], categories: ["all"], subresources: ["status", "binding", "log", "exec"] }),
    core({ resource: "configmaps", kind: "ConfigMap", shortNames: ["cm"] }),
    core({ resource: "secrets", kind: "Secret" }),
    core({ resource: "services", kind: "Service", shortNames: ["svc"], categories: ["all"], subresources: ["status"] }),
    core({ resource: "endpoints", kind: "Endpoints", singular: "endpoints", shortNames: ["ep"] }),
    core({ resource: "events", kind: "Event", shortNames: ["ev"] }),
    core({ resource: "serviceaccounts", kind: "ServiceAccount", shortNames: ["sa"], subresources: ["token"] }),
    apps({ resource: "deployments", kind: "Deployment", shortNames: ["deploy"], categories: ["all"], subresources: ["status", "scale"], generation: true }),
    apps({ resource: "replicasets", kind: "ReplicaSet", shortNames: ["rs"], categories: ["all"], subresources: ["status", "scale"], generation: true }),
    builtinMake("coordination.k8s.io", "v1", { resource: "leases", kind: "Lease" }),
    builtinMake("apiextensions.k8s.io", "v1", {
      resource: "customresourcedefinitions", kind: "CustomResourceDefinition", namespaced: false,
      shortNames: ["crd", "crds"], categories: ["api-extensions"], subresources: ["status"], generation: true,
    }),
  ];
}
