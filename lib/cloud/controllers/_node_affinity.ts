/**
 * Whether a node satisfies a pod's `nodeSelector` and its required node affinity
 * (`requiredDuringSchedulingIgnoredDuringExecution`): terms are ORed; inside a term every label expression and every
 * field expression must hold. Preferred terms do not filter, so they are not read here.
 *
 * @module
 */
import type { V1Node, V1NodeSelectorRequirement, V1NodeSelectorTerm, V1Pod } from "@kubernetes/client-node";

function parseIntStrict(v: string | undefined): number | undefined {
  return v !== undefined && /^[+-]?\d+$/.test(v) ? Number(v) : undefined;
}

/** One `matchExpressions` / `matchFields` requirement against a value (undefined when the key is absent). */
export function requirementMatches(req: V1NodeSelectorRequirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      return value === undefined || !values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
    case "Lt": {
      const have = parseIntStrict(value), want = parseIntStrict(values[0]);
      if (have === undefined || want === undefined || values.length !== 1) return false;
      return req.operator === "Gt" ? have > want : have < want;
    }
    default:
      return false;
  }
}

/** True when the node matches one term; a term with no requirements matches nothing. */
function termMatches(term: V1NodeSelectorTerm, node: V1Node): boolean {
  const exprs = term.matchExpressions ?? [], fields = term.matchFields ?? [];
  if (!exprs.length && !fields.length) return false;
  const labels = node.metadata?.labels ?? {};
  // Only metadata.name is a supported node field for matchFields.
  const fieldValue = (key: string) => (key === "metadata.name" ? node.metadata?.name : undefined);
  return exprs.every((r) => requirementMatches(r, labels[r.key])) && fields.every((r) => requirementMatches(r, fieldValue(r.key)));
}

/**
 * True when the pod may run on the node as far as node selection goes.
 *
 * @example A zone selector
 * ```ts
 * matchesNodeSelection({ spec: { nodeSelector: { zone: "a" } } }, { metadata: { labels: { zone: "a" } } }); // true
 * ```
 */
export function matchesNodeSelection(pod: V1Pod, node: V1Node): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return (required.nodeSelectorTerms ?? []).some((t) => termMatches(t, node));
}
