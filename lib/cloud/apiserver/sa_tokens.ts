/**
 * Service-account tokens of the embedded API: JWTs signed with RS256 by a key kept in `<dataDir>/sa.key` (0600,
 * created on first start; in memory without dataDir), with the claims a real apiserver puts in a TokenRequest token
 * (`iss`, `sub` = `system:serviceaccount:<ns>:<name>`, `aud`, `exp`, `iat`, `nbf` and the `kubernetes.io` object
 * naming the namespace, the ServiceAccount and the bound pod), and their verification as bearer credentials.
 *
 * @module
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isPlainObject, type JsonObject } from "../../kube/index.ts";

/** The issuer and default audience of tokens, as on a cluster started with the usual flags. */
export const TOKEN_ISSUER = "https://kubernetes.default.svc.cluster.local";
/** The signing key's file name inside dataDir. */
export const SA_KEY_FILE = "sa.key";

/** What a token names. */
export type TokenClaims = {
  namespace: string;
  serviceAccount: { name: string; uid: string };
  /** The pod the token is bound to; it stops working when that pod is gone. */
  pod?: { name: string; uid: string };
  audiences: string[];
  /** Seconds since the epoch. */
  issuedAt: number;
  expiresAt: number;
  /** When a token whose lifetime was extended is used past this, a real apiserver logs a warning. */
  warnAfter?: number;
};

/** Whom a valid token authenticates. */
export type TokenIdentity = { username: string; namespace: string; serviceAccount: string; claims: TokenClaims };

const b64 = (v: string | Buffer) => Buffer.from(v).toString("base64url");

function loadOrCreateKey(dataDir: string | undefined): KeyObject {
  const path = dataDir ? join(dataDir, SA_KEY_FILE) : undefined;
  try {
    if (path && existsSync(path)) return createPrivateKey(readFileSync(path, "utf8"));
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    if (path) {
      mkdirSync(dataDir!, { recursive: true, mode: 0o700 });
      const tmp = `${path}.tmp-${process.pid}`;
      writeFileSync(tmp, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
      chmodSync(tmp, 0o600);
      renameSync(tmp, path);
    }
    return privateKey;
  } catch (err) {
    throw new Error(`Cannot load the service account signing key "${path ?? "(memory)"}": ${(err as Error).message}`, { cause: err });
  }
}

/** Issues and verifies service-account tokens with one key. */
export class ServiceAccountTokens {
  readonly #key: KeyObject;
  readonly #public: KeyObject;
  readonly #kid: string;

  /**
   * @param dataDir where the key is kept; a fresh key each start without it (tokens then end with the process)
   * @throws Error naming the key file when it cannot be read or written
   */
  constructor(dataDir?: string) {
    this.#key = loadOrCreateKey(dataDir);
    this.#public = createPublicKey(this.#key);
    this.#kid = createHash("sha256").update(this.#public.export({ type: "spki", format: "der" })).digest("base64url");
  }

  /** Signs a token carrying `claims`. */
  issue(claims: TokenClaims): string {
    const k8s: JsonObject = {
      namespace: claims.namespace,
      serviceaccount: { name: claims.serviceAccount.name, uid: claims.serviceAccount.uid },
    };
    if (claims.pod) k8s.pod = { name: claims.pod.name, uid: claims.pod.uid };
    if (claims.warnAfter !== undefined) k8s.warnafter = claims.warnAfter;
    const payload = {
      aud: claims.audiences, exp: claims.expiresAt, iat: claims.issuedAt, iss: TOKEN_ISSUER, "kubernetes.io": k8s,
      nbf: claims.issuedAt, sub: `system:serviceaccount:${claims.namespace}:${claims.serviceAccount.name}`,
    };
    const head = `${b64(JSON.stringify({ alg: "RS256", kid: this.#kid }))}.${b64(JSON.stringify(payload))}`;
    return `${head}.${sign("sha256", Buffer.from(head), this.#key).toString("base64url")}`;
  }

  /**
   * Checks a bearer token: signature, issuer, audience, time window. Whether the ServiceAccount and the bound pod
   * still exist is the caller's check ({@link TokenClaims}).
   *
   * @returns the claims, or undefined for anything that is not a valid token of this key
   */
  verify(token: string, nowSeconds = Math.floor(Date.now() / 1000)): TokenClaims | undefined {
    const parts = token.split(".");
    if (parts.length !== 3 || token.length > 16_384) return undefined;
    try {
      const header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8"));
      if (!isPlainObject(header) || header.alg !== "RS256" || header.kid !== this.#kid) return undefined;
      if (!verify("sha256", Buffer.from(`${parts[0]}.${parts[1]}`), this.#public, Buffer.from(parts[2]!, "base64url"))) return undefined;
      const p = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
      if (!isPlainObject(p) || p.iss !== TOKEN_ISSUER) return undefined;
      const aud = Array.isArray(p.aud) ? p.aud.map(String) : [];
      if (!aud.includes(TOKEN_ISSUER)) return undefined;
      if (typeof p.exp !== "number" || typeof p.nbf !== "number" || typeof p.iat !== "number") return undefined;
      // a minute of clock skew either way, as the real authenticator allows
      if (p.exp + 60 < nowSeconds || p.nbf - 60 > nowSeconds) return undefined;
      const k = p["kubernetes.io"];
      if (!isPlainObject(k) || typeof k.namespace !== "string" || !isPlainObject(k.serviceaccount)) return undefined;
      const sa = k.serviceaccount, pod = isPlainObject(k.pod) ? k.pod : undefined;
      if (typeof sa.name !== "string" || typeof sa.uid !== "string") return undefined;
      if (p.sub !== `system:serviceaccount:${k.namespace}:${sa.name}`) return undefined;
      return {
        namespace: k.namespace, serviceAccount: { name: sa.name, uid: sa.uid },
        pod: pod && typeof pod.name === "string" && typeof pod.uid === "string" ? { name: pod.name, uid: pod.uid } : undefined,
        audiences: aud, issuedAt: p.iat, expiresAt: p.exp,
      };
    } catch {
      return undefined;
    }
  }
}
