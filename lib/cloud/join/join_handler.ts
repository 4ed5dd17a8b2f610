/**
 * The join endpoints on cloudhub's HTTPS port, open to strangers (a joining device has no certificate yet):
 *
 * - `GET /join/v1/ca`: the CA certificate (PEM). The device trusts it only when its hash equals its token's pin.
 * - `POST /join/v1/certificate` with JSON `{token, node, csr}`: a node certificate (CN = node) for the CSR, answered as
 *   JSON `{certificate, ca}`. The token must exist, match (compared in constant time), carry usage `join` and not
 *   be expired; a name whose Node object exists is refused unless the token was made for exactly that name.
 *
 * Refusals are JSON `{reason, message}`: 400 BadRequest, 401 InvalidToken or ExpiredToken, 403 NodeNameTaken or
 * TokenForOtherNode, 405, 413 TooLarge, 429 RateLimited (with Retry-After), 500 when the cluster cannot be asked.
 * Requests are rate-limited per source address and overall. A token's secret is never logged; its id is.
 *
 * @module
 */
import type { IncomingMessage } from "node:http";
import { CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { isNodeName } from "../../config/schema.ts";
import type { Logger } from "../../log/index.ts";
import { caCertHash, type CloudPki, CsrError, JoinTokenFormatError, MAX_CSR_BYTES, parseJoinToken, secretMatches, signNodeCsr } from "../../pki/index.ts";
import type { HttpHandler } from "../cloudhub/index.ts";
import { RateLimiter } from "../../core/index.ts";
import { joinTokenStore, type JoinTokenStore } from "./token_store.ts";
import { statusOf } from "../api_status.ts";

/** Path prefix of the join endpoints. */
export const JOIN_PATH = "/join/v1";
/** Largest request body: a CSR of {@link MAX_CSR_BYTES}, the token, the name and JSON around them. */
export const MAX_JOIN_BODY_BYTES = MAX_CSR_BYTES + 2048;

/** Options of {@link createJoinHandler}. */
export type JoinHandlerOptions = {
  pki: CloudPki;
  /** Lifetime of the node certificates it signs (config `cloudHub.nodeCertValidity`, via `certValidity`). @default one year */
  nodeCertValidityMs?: number;
  /** The cluster the tokens and Node objects live in. */
  kubeConfig: KubeConfig;
  /** Namespace of the token Secrets (config `kubernetes.namespace`). */
  namespace: string;
  log: Logger;
  /** Requests per minute from one source address. @default 30 */
  perAddressPerMinute?: number;
  /** Requests per minute from all sources together. @default 300 */
  totalPerMinute?: number;
  /** For tests. @default () => new Date() */
  now?: () => Date;
};

/** A refusal with its HTTP status and stable reason. */
class Refusal extends Error {
  constructor(readonly status: number, readonly reason: string, message: string) {
    super(message);
  }
}

/** Distinct addresses remembered before the per-address buckets start over (bounds memory under a spread attack). */
const MAX_TRACKED_ADDRESSES = 4096;

/** Builds the handler to mount on cloudhub's `httpHandler` (beside the link upgrade). */
export function createJoinHandler(options: JoinHandlerOptions): HttpHandler {
  const { pki, log } = options;
  const now = options.now ?? (() => new Date());
  const tokens = joinTokenStore(options.kubeConfig, options.namespace);
  const core = options.kubeConfig.makeApiClient(CoreV1Api);
  const ourPin = caCertHash(pki.caCert);
  const perAddress = options.perAddressPerMinute ?? 30;
  const total = new RateLimiter({ perMinute: options.totalPerMinute ?? 300, burst: Math.max(1, Math.ceil((options.totalPerMinute ?? 300) / 6)) });
  let byAddress = new RateLimiter({ perMinute: perAddress, burst: Math.max(1, Math.ceil(perAddress / 3)) });
  let tracked = new Set<string>();
  const allowed = (remote: string) => {
    if (tracked.size >= MAX_TRACKED_ADDRESSES && !tracked.has(remote)) {
      tracked = new Set();
      byAddress = new RateLimiter({ perMinute: perAddress, burst: Math.max(1, Math.ceil(perAddress / 3)) });
    }
    tracked.add(remote);
    return byAddress.take(remote) && total.take("all");
  };
  const nodeExists = async (name: string) => {
    try {
      await core.readNode({ name });
      return true;
    } catch (e) {
      if (statusOf(e) === 404) return false;
      throw e;
    }
  };

  return async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== JOIN_PATH && !path.startsWith(`${JOIN_PATH}/`)) return false;
    const remote = req.socket.remoteAddress ?? "unknown";
    try {
      if (!allowed(remote)) throw new Refusal(429, "RateLimited", "too many join requests; try again in a minute");
      if (path === `${JOIN_PATH}/ca`) {
        if (req.method !== "GET") throw new Refusal(405, "MethodNotAllowed", "use GET");
        res.writeHead(200, { "content-type": "application/x-pem-file" }).end(pki.caCert);
        return true;
      }
      if (path !== `${JOIN_PATH}/certificate`) throw new Refusal(404, "NotFound", `no such join endpoint "${path.slice(0, 100)}"`);
      if (req.method !== "POST") throw new Refusal(405, "MethodNotAllowed", "use POST");
      const body = parseBody(await readBounded(req, MAX_JOIN_BODY_BYTES));
      const cert = await join(body, { tokens, nodeExists, ourPin, now: now(), pki, validityMs: options.nodeCertValidityMs });
      log.info("node joined", { node: body.node, token: body.tokenId, remote });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ certificate: cert.cert, ca: cert.ca }));
    } catch (e) {
      const r = e instanceof Refusal ? e : undefined;
      if (!r) log.error("join failed", { remote, url: path.slice(0, 100), error: e instanceof Error ? e.message : String(e) });
      else log.warn("join refused", { remote, reason: r.reason, error: r.message });
      const status = r?.status ?? 500;
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (status === 429) headers["retry-after"] = "60";
      // a body left unread (too large) would keep the connection busy: close it after the answer
      if (status === 413) headers.connection = "close";
      res.writeHead(status, headers).end(JSON.stringify({ reason: r?.reason ?? "InternalError", message: r?.message ?? "cannot check the join request now; try again" }));
      if (status === 413) res.once("finish", () => req.destroy());
    }
    return true;
  };
}

type JoinBody = { token: string; tokenId: string; node: string; csr: string };

/** Checks the token and the name, then signs. @throws Refusal */
async function join(body: JoinBody, ctx: { tokens: JoinTokenStore; nodeExists(name: string): Promise<boolean>; ourPin: string; now: Date; pki: CloudPki; validityMs?: number }) {
  let presented;
  try {
    presented = parseJoinToken(body.token);
  } catch (e) {
    if (e instanceof JoinTokenFormatError) throw new Refusal(401, "InvalidToken", e.message);
    throw e;
  }
  const stored = await ctx.tokens.get(presented.id);
  // one answer for an unknown id and a wrong secret: a stranger learns nothing about which ids exist
  if (!stored || !secretMatches(presented.secret, stored.secretHash) || presented.caHash !== ctx.ourPin || !stored.usages.includes("join")) {
    throw new Refusal(401, "InvalidToken", "unknown or wrong join token");
  }
  if (stored.expires.getTime() <= ctx.now.getTime()) {
    throw new Refusal(401, "ExpiredToken", `join token ${stored.id} expired at ${stored.expires.toISOString()}; create a new one with "cloud_core token create"`);
  }
  if (stored.node !== undefined && stored.node !== body.node) {
    throw new Refusal(403, "TokenForOtherNode", `join token ${stored.id} is for node "${stored.node}", not "${body.node}"`);
  }
  if (stored.node === undefined && (await ctx.nodeExists(body.node))) {
    throw new Refusal(403, "NodeNameTaken", `node "${body.node}" already exists; join under another name, or create a token for it with "cloud_core token create --node ${body.node}"`);
  }
  try {
    return await signNodeCsr(ctx.pki, body.csr, body.node, { validityMs: ctx.validityMs });
  } catch (e) {
    if (e instanceof CsrError) throw new Refusal(400, "BadRequest", e.message);
    throw e;
  }
}

/** The fields of a certificate request. @throws Refusal 400 */
function parseBody(text: string): JoinBody {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Refusal(400, "BadRequest", "body is not JSON");
  }
  const o = (v && typeof v === "object" ? v : {}) as Record<string, unknown>;
  if (typeof o.token !== "string" || typeof o.csr !== "string" || typeof o.node !== "string") {
    throw new Refusal(400, "BadRequest", 'body must be JSON {"token": string, "node": string, "csr": string}');
  }
  if (!isNodeName(o.node)) throw new Refusal(400, "BadRequest", `node ${JSON.stringify(o.node.slice(0, 80))} is not a valid node name`);
  const tokenId = /::([a-z0-9]{6})\./.exec(o.token)?.[1] ?? "?";
  return { token: o.token, tokenId, node: o.node, csr: o.csr };
}

/** Reads a body of at most `max` bytes. @throws Refusal 413 as soon as it is larger */
function readBounded(req: IncomingMessage, max: number): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > max) return Promise.reject(new Refusal(413, "TooLarge", `request body over ${max} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.off("data", onData);
        req.pause();
        reject(new Refusal(413, "TooLarge", `request body over ${max} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.once("error", (e) => reject(new Refusal(400, "BadRequest", `request body unreadable: ${e.message}`)));
  });
}
