/**
 * The downward API: values of a pod's own fields for environment variables (`fieldRef`) and downwardAPI volumes,
 * and `$(VAR)` expansion in commands, arguments and values.
 *
 * @module
 */
import { EdgedError } from "./edged_error.ts";
import type { Pod } from "./types.ts";

/** Runtime facts a pod's fields do not carry yet. */
export type PodFacts = { podIP: string; hostIP: string; nodeName: string };

/**
 * The value of a supported field path.
 *
 * @throws EdgedError `EDGED_CONFIG` for a path the downward API does not offer
 */
export function fieldRefValue(pod: Pod, path: string, facts: PodFacts): string {
  const m = pod.metadata;
  const keyed = /^metadata\.(labels|annotations)\['([^']+)'\]$/.exec(path);
  if (keyed) return (keyed[1] === "labels" ? m.labels : m.annotations)?.[keyed[2]] ?? "";
  switch (path) {
    case "metadata.name": return m.name ?? "";
    case "metadata.namespace": return m.namespace ?? "";
    case "metadata.uid": return m.uid ?? "";
    case "metadata.labels": return formatMap(m.labels);
    case "metadata.annotations": return formatMap(m.annotations);
    case "spec.nodeName": return pod.spec.nodeName || facts.nodeName;
    case "spec.serviceAccountName": return pod.spec.serviceAccountName ?? "";
    case "status.hostIP": return facts.hostIP;
    case "status.podIP": case "status.podIPs": return facts.podIP;
    default: throw new EdgedError("EDGED_CONFIG", `Cannot resolve fieldRef "${path}": not a downward API field`);
  }
}

/** `key="value"` lines, sorted, as downwardAPI volumes write labels and annotations. */
function formatMap(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {}).sort().map((k) => `${k}=${JSON.stringify(map![k])}`).join("\n");
}

/**
 * Expands `$(NAME)` from `vars`; `$$` stands for a literal `$`, and an undefined name stays as written.
 *
 * @example Expansion
 * ```ts
 * expandVars("http://$(HOST):80 $$(KEEP)", new Map([["HOST", "a"]])); // "http://a:80 $(KEEP)"
 * ```
 */
export function expandVars(s: string, vars: ReadonlyMap<string, string>): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (whole, name: string | undefined) => {
    if (whole === "$$") return "$";
    return vars.has(name!) ? vars.get(name!)! : whole;
  });
}
