/**
 * Join tokens kept as Secrets of type `kubeedge-ts.io/join-token` named `join-token-<id>` in cloud_core's own
 * namespace. A Secret holds the SHA-256 of the token's secret part (never the secret), its expiry, the usages and,
 * for a token made for one node, that node's name. Every replica of cloud_core and the `token` command read the same
 * Secrets through the same kubeconfig, embedded API or real cluster alike.
 *
 * @module
 */
import { ApiException, CoreV1Api, type KubeConfig, type V1Secret } from "@kubernetes/client-node";
import { hashTokenSecret, isJoinTokenId, type JoinToken } from "../../pki/index.ts";
import { statusOf } from "../api_status.ts";

/** The Secret type of a join token. */
export const JOIN_TOKEN_SECRET_TYPE = "kubeedge-ts.io/join-token";
/** Label on every join-token Secret, so listing reads only those. */
const LABEL = "kubeedge-ts.io/join-token";
const NAME_PREFIX = "join-token-";
/** Usages a token may carry; `join` lets a node fetch its first certificate. */
export const JOIN_TOKEN_USAGES = ["join"] as const;

/** A stored token as the cloud knows it (no secret). */
export type JoinTokenRecord = {
  id: string;
  /** Lower-case hex SHA-256 of the secret part. */
  secretHash: string;
  expires: Date;
  usages: string[];
  /** The only node name this token may join; any free name when absent. */
  node?: string;
  created?: Date;
};

/** Options of {@link JoinTokenStore.create}. */
export type CreateTokenOptions = { ttlMs: number; node?: string; usages?: string[]; now?: Date };

/** Reads and writes join tokens in one namespace. */
export type JoinTokenStore = {
  /** Stores the hash of `token`'s secret. */
  create(token: JoinToken, options: CreateTokenOptions): Promise<JoinTokenRecord>;
  /** @returns undefined when there is no such token (or the id is malformed) */
  get(id: string): Promise<JoinTokenRecord | undefined>;
  list(): Promise<JoinTokenRecord[]>;
  /** @returns false when there was no such token */
  delete(id: string): Promise<boolean>;
};

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const unb64 = (s: string | undefined) => (s === undefined ? undefined : Buffer.from(s, "base64").toString("utf8"));

/** The record of a Secret, or undefined when it is not a well-formed join token Secret. */
function toRecord(secret: V1Secret): JoinTokenRecord | undefined {
  const name = secret.metadata?.name ?? "";
  const id = name.slice(NAME_PREFIX.length);
  const d = secret.data ?? {};
  const secretHash = unb64(d["token-secret-sha256"]);
  const expires = new Date(unb64(d.expiration) ?? "");
  if (secret.type !== JOIN_TOKEN_SECRET_TYPE || !name.startsWith(NAME_PREFIX) || !isJoinTokenId(id)) return undefined;
  if (!secretHash || !/^[0-9a-f]{64}$/.test(secretHash) || Number.isNaN(expires.getTime())) return undefined;
  const node = unb64(d.node);
  const created = secret.metadata?.creationTimestamp;
  return {
    id, secretHash, expires,
    usages: (unb64(d.usages) ?? "").split(",").filter(Boolean),
    ...(node ? { node } : {}),
    ...(created ? { created: new Date(created) } : {}),
  };
}


/** Wraps an API failure with what was being done, keeping the status for callers. */
function failed(what: string, namespace: string, e: unknown): Error {
  // the API's Status message says what was refused (forbidden, namespace missing); the rest of its body does not help
  const body = e instanceof ApiException ? (e.body as unknown) : undefined;
  let detail = e instanceof Error ? e.message : String(e);
  try {
    const status = typeof body === "string" ? JSON.parse(body) : body;
    if (status && typeof status.message === "string") detail = status.message;
  } catch {
    // not a Status body: keep the exception's text
  }
  return new Error(`Cannot ${what} in namespace "${namespace}": ${detail}`, { cause: e });
}

/** A store over `kc`'s cluster, in `namespace` (config `kubernetes.namespace`). */
export function joinTokenStore(kc: KubeConfig, namespace: string): JoinTokenStore {
  const core = kc.makeApiClient(CoreV1Api);
  return {
    async create(token, o) {
      const now = o.now ?? new Date();
      const usages = o.usages ?? [...JOIN_TOKEN_USAGES];
      const expires = new Date(now.getTime() + o.ttlMs);
      const body: V1Secret = {
        apiVersion: "v1",
        kind: "Secret",
        type: JOIN_TOKEN_SECRET_TYPE,
        metadata: { name: NAME_PREFIX + token.id, namespace, labels: { [LABEL]: "true" } },
        data: {
          "token-secret-sha256": b64(hashTokenSecret(token.secret)),
          expiration: b64(expires.toISOString()),
          usages: b64(usages.join(",")),
          ...(o.node ? { node: b64(o.node) } : {}),
        },
      };
      try {
        const made = await core.createNamespacedSecret({ namespace, body });
        return toRecord(made) ?? { id: token.id, secretHash: hashTokenSecret(token.secret), expires, usages, ...(o.node ? { node: o.node } : {}) };
      } catch (e) {
        throw failed(`store join token ${token.id}`, namespace, e);
      }
    },
    async get(id) {
      if (!isJoinTokenId(id)) return undefined;
      try {
        return toRecord(await core.readNamespacedSecret({ name: NAME_PREFIX + id, namespace }));
      } catch (e) {
        if (statusOf(e) === 404) return undefined;
        throw failed(`read join token ${id}`, namespace, e);
      }
    },
    async list() {
      try {
        const l = await core.listNamespacedSecret({ namespace, labelSelector: `${LABEL}=true` });
        return l.items.map(toRecord).filter((r): r is JoinTokenRecord => !!r).sort((a, b) => a.expires.getTime() - b.expires.getTime());
      } catch (e) {
        throw failed("list join tokens", namespace, e);
      }
    },
    async delete(id) {
      if (!isJoinTokenId(id)) return false;
      try {
        await core.deleteNamespacedSecret({ name: NAME_PREFIX + id, namespace });
        return true;
      } catch (e) {
        if (statusOf(e) === 404) return false;
        throw failed(`delete join token ${id}`, namespace, e);
      }
    },
  };
}
