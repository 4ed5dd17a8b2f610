/**
 * The `pod-template-hash` of a ReplicaSet: a short, stable name for a pod template, so the Deployment controller can
 * find the ReplicaSet of a template and name its pods. FNV-32a over the template's canonical JSON (plus the
 * Deployment's collisionCount), rendered as its decimal digits mapped onto the alphabet Kubernetes uses for names
 * (no vowels, no confusable characters).
 *
 * @module
 */

/** The label that ties a ReplicaSet and its pods to one template. */
export const POD_TEMPLATE_HASH_LABEL = "pod-template-hash";

const ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** JSON with sorted keys and without null or undefined members, so equal objects give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function fnv32a(text: string, hash = FNV_OFFSET): number {
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, FNV_PRIME) >>> 0;
  return hash;
}

/** A pod template without its pod-template-hash label, the form templates are compared and hashed in. */
function templateWithoutHash<T extends { metadata?: { labels?: Record<string, string> } | null }>(template: T): T {
  const labels = template.metadata?.labels;
  if (!labels || !(POD_TEMPLATE_HASH_LABEL in labels)) return template;
  const { [POD_TEMPLATE_HASH_LABEL]: _hash, ...rest } = labels;
  return { ...template, metadata: { ...template.metadata, labels: rest } };
}

/**
 * The hash of a pod template.
 *
 * @param template the Deployment's `spec.template`
 * @param collisionCount the Deployment's `status.collisionCount`, which changes the hash after a name clash
 * @returns up to 10 characters from "bcdfghjklmnpqrstvwxz2456789"
 * @example Naming a ReplicaSet
 * ```ts
 * const name = `${deployment.metadata.name}-${podTemplateHash(deployment.spec.template)}`;
 * ```
 */
export function podTemplateHash(template: unknown, collisionCount?: number): string {
  let hash = fnv32a(canonicalJson(templateWithoutHash(template as { metadata?: { labels?: Record<string, string> } })));
  if (collisionCount) hash = fnv32a(String(collisionCount), hash);
  return [...String(hash)].map((d) => ALPHABET[d.charCodeAt(0) % ALPHABET.length]).join("");
}

/** True when two pod templates are the same apart from the pod-template-hash label. */
export function sameTemplate(a: unknown, b: unknown): boolean {
  type T = { metadata?: { labels?: Record<string, string> } };
  return canonicalJson(templateWithoutHash((a ?? {}) as T)) === canonicalJson(templateWithoutHash((b ?? {}) as T));
}
