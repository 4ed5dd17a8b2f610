/**
 * The checks a link upgrade passes before it becomes a session, as named steps run in order. A
 * failing step refuses the upgrade with an HTTP status, and the refusal names the step.
 *
 * URL: `/<project_id>/<node_id>/events` (KubeEdge's).
 *
 * @module
 */
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import { REVOKED_REFUSAL } from "../../model/index.ts";
import { issuedAtMs } from "../../pki/index.ts";

/** A refused upgrade: the HTTP status sent back and a reason that is safe to show and log. */
export class HandshakeRefusal extends Error {
  readonly status: number;
  /** One word the node can act on, sent as the `x-kubeedge-refusal` header (for example "revoked"). */
  readonly refusal: string | undefined;
  step = "";
  constructor(status: number, message: string, refusal?: string) {
    super(message);
    this.name = "HandshakeRefusal";
    this.status = status;
    this.refusal = refusal;
  }
}

/** What the steps learn about an upgrade request. */
export type HandshakeContext = {
  req: IncomingMessage;
  project: string;
  node: string;
  /** CN of the client certificate. */
  commonName: string;
  /** When the client certificate was issued, at the earliest, in ms since the epoch (NaN when unreadable). */
  issuedAtMs: number;
};

/** What the steps need to know about the hub. */
export type HubView = {
  readonly ready: boolean;
  readonly nodeLimit: number;
  connectedCount(): number;
  isConnected(node: string): boolean;
  isRevoked(node: string, issuedAtMs: number): boolean;
};

type Step = { name: string; run(ctx: HandshakeContext, hub: HubView): void };

const PATH = /^\/([^/]+)\/([^/]+)\/events\/?$/;

const STEPS: Step[] = [
  {
    name: "checkReady",
    run(_ctx, hub) {
      if (!hub.ready) throw new HandshakeRefusal(503, "cloudhub is starting");
    },
  },
  {
    name: "parsePath",
    run(ctx) {
      const path = (ctx.req.url ?? "").split("?")[0];
      const m = PATH.exec(path);
      if (!m) throw new HandshakeRefusal(404, `expected /<project>/<node>/events, got ${JSON.stringify(path.slice(0, 200))}`);
      ctx.project = decodeURIComponent(m[1]);
      ctx.node = decodeURIComponent(m[2]);
      const header = ctx.req.headers["node_id"];
      if (typeof header === "string" && header !== "" && header !== ctx.node) {
        throw new HandshakeRefusal(400, `header node_id "${header}" differs from the node in the path "${ctx.node}"`);
      }
    },
  },
  {
    // The node name in the certificate must match the node in the path: a node speaks only for itself.
    name: "checkCertificate",
    run(ctx) {
      const socket = ctx.req.socket as TLSSocket;
      const cert = socket.getPeerCertificate?.();
      if (!cert || !cert.subject) throw new HandshakeRefusal(403, "no client certificate");
      if (!socket.authorized) throw new HandshakeRefusal(403, `client certificate not trusted: ${socket.authorizationError}`);
      const cn = cert.subject.CN;
      ctx.commonName = Array.isArray(cn) ? cn.join(",") : String(cn ?? "");
      if (ctx.commonName !== ctx.node) {
        throw new HandshakeRefusal(403, `certificate is for node "${ctx.commonName}", not "${ctx.node}"`);
      }
      ctx.issuedAtMs = issuedAtMs(Date.parse(cert.valid_from), Date.parse(cert.valid_to));
    },
  },
  {
    // A deleted or revoked node's certificates issued until then are refused; a newer one (a re-join) is not.
    name: "checkRevoked",
    run(ctx, hub) {
      if (hub.isRevoked(ctx.node, ctx.issuedAtMs)) {
        throw new HandshakeRefusal(403, `certificate of node "${ctx.node}" is revoked`, REVOKED_REFUSAL);
      }
    },
  },
  {
    // As in KubeEdge, over the node limit the server answers HTTP 429. A node replacing its own link is not new.
    name: "checkNodeLimit",
    run(ctx, hub) {
      if (!hub.isConnected(ctx.node) && hub.connectedCount() >= hub.nodeLimit) {
        throw new HandshakeRefusal(429, `node limit ${hub.nodeLimit} reached`);
      }
    },
  },
];

/**
 * Runs every step on an upgrade request.
 *
 * @returns the project, node and certificate name of an accepted request
 * @throws HandshakeRefusal with `step` set to the step that refused
 */
export function checkUpgrade(req: IncomingMessage, hub: HubView): HandshakeContext {
  const ctx: HandshakeContext = { req, project: "", node: "", commonName: "", issuedAtMs: Number.NaN };
  for (const step of STEPS) {
    try {
      step.run(ctx, hub);
    } catch (err) {
      const refusal = err instanceof HandshakeRefusal ? err : new HandshakeRefusal(400, (err as Error).message);
      refusal.step = step.name;
      throw refusal;
    }
  }
  return ctx;
}
