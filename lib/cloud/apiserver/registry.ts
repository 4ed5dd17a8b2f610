/**
 * The table of served resources: built-in kinds plus the custom resources that CustomResourceDefinitions add at run
 * time. Routing, discovery, OpenAPI and storage look resources up here.
 *
 * @module
 */
import { builtinResources } from "./builtin_resources.ts";
import type { GroupResource, ResourceInfo } from "./types.ts";

/** The storage key of a resource: `pods`, `deployments.apps`. */
export function groupResource(info: { group: string; resource: string }): GroupResource {
  return info.group ? `${info.resource}.${info.group}` : info.resource;
}

/** A group with the versions it serves, for discovery. */
export type ServedGroup = { name: string; versions: { version: string; resources: ResourceInfo[] }[] };

/** Served resources by group, version and plural name. */
export class Registry {
  #byGr = new Map<GroupResource, ResourceInfo>();
  #generation = 0;

  constructor() {
    for (const info of builtinResources()) this.#byGr.set(groupResource(info), info);
  }

  /** Counts changes, so discovery and OpenAPI documents can be cached until the next one. */
  get generation(): number {
    return this.#generation;
  }

  /** The resource served at `group/version/resource`, or undefined. */
  lookup(group: string, version: string, resource: string): ResourceInfo | undefined {
    const info = this.#byGr.get(group ? `${resource}.${group}` : resource);
    return info && info.versions.includes(version) ? info : undefined;
  }

  /** The resource stored under a group-resource key. */
  byGroupResource(gr: GroupResource): ResourceInfo | undefined {
    return this.#byGr.get(gr);
  }

  /** The resource of a kind in a group, e.g. for ownerReferences and Scale. */
  byKind(group: string, kind: string): ResourceInfo | undefined {
    for (const info of this.#byGr.values()) if (info.group === group && info.kind === kind) return info;
    return undefined;
  }

  /** Every served resource, built-ins first. */
  all(): ResourceInfo[] {
    return [...this.#byGr.values()];
  }

  /** Adds or replaces a resource (a CRD was created or changed). */
  put(info: ResourceInfo): void {
    this.#byGr.set(groupResource(info), info);
    this.#generation++;
  }

  /** Removes a resource that a CRD defined. */
  remove(gr: GroupResource): void {
    if (this.#byGr.delete(gr)) this.#generation++;
  }

  /** Groups in discovery order: core ("") first, then named groups in the order their first resource came. */
  groups(): ServedGroup[] {
    const groups = new Map<string, Map<string, ResourceInfo[]>>();
    for (const info of this.#byGr.values()) {
      let versions = groups.get(info.group);
      if (!versions) groups.set(info.group, (versions = new Map()));
      for (const v of info.versions) {
        const list = versions.get(v) ?? [];
        list.push(info);
        versions.set(v, list);
      }
    }
    return [...groups.entries()].map(([name, versions]) => ({
      name,
      versions: [...versions.entries()]
        .map(([version, resources]) => ({ version, resources }))
        .sort((a, b) => compareVersions(b.version, a.version)),
    }));
  }
}

/**
 * Orders Kubernetes versions by priority: GA over beta over alpha, then by number (v1 > v1beta2 > v1beta1 > v1alpha1).
 *
 * @returns negative when `a` ranks below `b`
 */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [-1, 0, 0];
    const stage = m[2] === "alpha" ? 0 : m[2] === "beta" ? 1 : 2;
    return [stage, Number(m[1]), Number(m[3] ?? 0)];
  };
  const ra = rank(a), rb = rank(b);
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
  return a < b ? -1 : a > b ? 1 : 0;
}
