/**
 * The service-account tokens of one pod, as the cloud sends them to the pod's node: resource
 * `<namespace>/serviceaccounttoken/<pod name>`, content a {@link PodTokens}. The cloud asks Kubernetes for each token
 * (TokenRequest for the pod's ServiceAccount, bound to the pod) and sends the set again when a token is renewed; a
 * token it could not get carries `error` instead, so the edge can say why. Our extension: KubeEdge's edge asks for
 * each token itself; a KubeEdge edge ignores this type.
 *
 * @module
 */

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Resource type of the message. */
export const SERVICE_ACCOUNT_TOKEN_TYPE = "serviceaccounttoken";

/** One `serviceAccountToken` projection of a pod: what was asked, and the token or the reason there is none. */
export type PodToken = {
  /** The audience asked for; absent means the API's own. */
  audience?: string;
  expirationSeconds: number;
  token?: string;
  /** RFC 3339, when `token` is set. */
  expirationTimestamp?: string;
  /** Why there is no token (RBAC denied, ServiceAccount missing, ...). */
  error?: string;
};

/** The tokens of one pod. `metadata.uid` is the pod's uid; `metadata.resourceVersion` grows with each renewal. */
export type PodTokens = {
  apiVersion: "v1";
  kind: "PodServiceAccountTokens";
  metadata: { name: string; namespace: string; uid: string; resourceVersion: string };
  serviceAccountName: string;
  tokens: PodToken[];
};

/** The key a projection is matched by on both sides. */
export function tokenKey(audience: string | undefined, expirationSeconds: number): string {
  return `${audience ?? ""}|${expirationSeconds}`;
}

/**
 * Reads a {@link PodTokens} from untrusted content.
 *
 * @returns the value, or undefined when it does not have that shape
 */
export function parsePodTokens(content: unknown): PodTokens | undefined {
  if (!isPlainObject(content) || !isPlainObject(content.metadata) || !Array.isArray(content.tokens)) return undefined;
  const m = content.metadata;
  if (typeof m.name !== "string" || typeof m.namespace !== "string" || typeof m.uid !== "string") return undefined;
  const tokens: PodToken[] = [];
  for (const t of content.tokens) {
    if (!isPlainObject(t) || typeof t.expirationSeconds !== "number") return undefined;
    const one: PodToken = { expirationSeconds: t.expirationSeconds };
    if (typeof t.audience === "string") one.audience = t.audience;
    if (typeof t.token === "string") one.token = t.token;
    if (typeof t.expirationTimestamp === "string") one.expirationTimestamp = t.expirationTimestamp;
    if (typeof t.error === "string") one.error = t.error;
    tokens.push(one);
  }
  return {
    apiVersion: "v1", kind: "PodServiceAccountTokens",
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: String(m.resourceVersion ?? "") },
    serviceAccountName: typeof content.serviceAccountName === "string" ? content.serviceAccountName : "",
    tokens,
  };
}
