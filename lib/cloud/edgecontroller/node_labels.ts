/**
 * Which labels a node may put on its own Node. The rule is Kubernetes' NodeRestriction admission plugin (and the
 * kubelet's `--node-labels` check): a node may not set or change labels under `kubernetes.io` or `k8s.io` (or a
 * subdomain of them) except its own well-known ones listed below, and never under `node-restriction.kubernetes.io`.
 * So a node cannot give itself `node-role.kubernetes.io/control-plane` and draw workloads (and their Secrets) meant
 * for other machines. The edge role labels are set by EdgeController itself at registration, not taken from a report.
 *
 * @module
 */

/** Label keys a node may set on itself under a reserved domain. */
const ALLOWED_KEYS = new Set([
  "kubernetes.io/hostname", "kubernetes.io/arch", "kubernetes.io/os",
  "beta.kubernetes.io/arch", "beta.kubernetes.io/os", "beta.kubernetes.io/instance-type",
  "node.kubernetes.io/instance-type",
  "failure-domain.beta.kubernetes.io/region", "failure-domain.beta.kubernetes.io/zone",
  "topology.kubernetes.io/region", "topology.kubernetes.io/zone",
]);

/** Reserved-domain prefixes under which a node may set any label. */
const ALLOWED_PREFIXES = ["kubelet.kubernetes.io/", "node.kubernetes.io/"];

/** Labels EdgeController sets on every edge node; a report carrying them with these values changes nothing. */
export const EDGE_NODE_LABELS: Readonly<Record<string, string>> = { "node-role.kubernetes.io/edge": "", "node-role.kubernetes.io/agent": "" };

/** Most labels taken from one report. @default 64 */
const MAX_LABELS = 64;

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A valid label key (`[prefix/]name`, as the API validates it). */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf("/");
  const prefix = slash < 0 ? "" : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  return NAME.test(name) && (slash < 0 || (prefix.length <= 253 && PREFIX.test(prefix)));
}

/** A valid label value (empty, or up to 63 characters of the label alphabet). */
export function isLabelValue(value: string): boolean {
  return value === "" || NAME.test(value);
}

function reserved(prefix: string): boolean {
  return ["kubernetes.io", "k8s.io"].some((d) => prefix === d || prefix.endsWith(`.${d}`));
}

/** True when a node may set this label on itself (NodeRestriction). */
export function nodeMaySetLabel(key: string): boolean {
  const slash = key.lastIndexOf("/");
  if (slash < 0) return true;
  const prefix = key.slice(0, slash);
  if (prefix === "node-restriction.kubernetes.io" || prefix.endsWith(".node-restriction.kubernetes.io")) return false;
  if (!reserved(prefix)) return true;
  return ALLOWED_KEYS.has(key) || ALLOWED_PREFIXES.some((p) => key.startsWith(p));
}

/** The labels of a report split into what a node may set and what is refused (with why). */
export type LabelVerdict = { allowed: Record<string, string>; refused: { key: string; why: string }[] };

/**
 * Sorts the `Labels` of a nodestatus report. Invalid and forbidden labels are refused one by one; the edge role
 * labels with their usual values are neither (EdgeController sets them anyway).
 *
 * @param labels whatever the report holds under `Labels`
 */
export function checkNodeLabels(labels: unknown): LabelVerdict {
  const out: LabelVerdict = { allowed: {}, refused: [] };
  if (labels === undefined || labels === null) return out;
  if (typeof labels !== "object" || Array.isArray(labels)) {
    out.refused.push({ key: "Labels", why: "not a map of strings" });
    return out;
  }
  const entries = Object.entries(labels as Record<string, unknown>);
  if (entries.length > MAX_LABELS) {
    out.refused.push({ key: "Labels", why: `more than ${MAX_LABELS} labels` });
    return out;
  }
  for (const [key, value] of entries) {
    if (EDGE_NODE_LABELS[key] !== undefined && value === EDGE_NODE_LABELS[key]) continue;
    if (typeof value !== "string" || !isLabelKey(key) || !isLabelValue(value)) out.refused.push({ key: key.slice(0, 80), why: "not a valid label" });
    else if (!nodeMaySetLabel(key)) out.refused.push({ key, why: "a node may not set this label on itself" });
    else out.allowed[key] = value;
  }
  return out;
}
