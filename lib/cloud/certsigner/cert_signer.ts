/**
 * The CertSigner module shell: reads renewal requests from its inbox and answers each through cloudhub. See the face
 * (`index.ts`) for what it consumes and emits.
 *
 * @module
 */
import { type Module, type ModuleContext, RateLimiter } from "../../core/index.ts";
import { createLogger, type Logger } from "../../log/index.ts";
import { CERTIFICATE_GROUP, CERTIFICATE_REQUEST_OPERATION, CERTSIGNER_MODULE, errorReplyTo, type Message, ModuleName } from "../../model/index.ts";
import type { CloudPki } from "../../pki/index.ts";
import { RenewalRefused, signRenewal, type SignDeps } from "./sign_request.ts";

/** What CertSigner needs. */
export type CertSignerOptions = {
  /** The CA that signs (from `ensureCloudPki`). */
  pki: CloudPki;
  /** Lifetime of renewed certificates in ms (cloud.yaml `cloudHub.nodeCertValidity`, via `certValidity`). */
  validityMs: number;
  /** Renewals one node may ask for per minute. @default 1 */
  perMinute?: number;
  /** Renewals one node may ask for in a burst (retries after a lost reply). @default 3 */
  burst?: number;
  log?: Logger;
};

/** Signs nodes' renewal requests. Register it on the cloud bus beside CloudHub. */
export class CertSigner implements Module {
  readonly name = CERTSIGNER_MODULE;
  readonly group = CERTIFICATE_GROUP;
  /** Requests signed and refused, for logs and tests. */
  readonly counts = { signed: 0, refused: 0 };
  readonly #deps: SignDeps;
  readonly #log: Logger;

  constructor(options: CertSignerOptions) {
    this.#deps = {
      pki: options.pki,
      validityMs: options.validityMs,
      limiter: new RateLimiter({ perMinute: options.perMinute ?? 1, burst: options.burst ?? 3 }),
    };
    this.#log = options.log ?? createLogger(CERTSIGNER_MODULE);
  }

  async start(ctx: ModuleContext): Promise<void> {
    for await (const msg of ctx.inbox) {
      // link announcements reach every module; only requests are answered
      if (msg.route.operation !== CERTIFICATE_REQUEST_OPERATION) continue;
      const reply = await this.#answer(msg);
      if (!ctx.bus.trySend(ModuleName.cloudHub, reply)) await ctx.bus.send(ModuleName.cloudHub, reply, ctx.signal);
    }
  }

  async #answer(msg: Message): Promise<Message> {
    try {
      const r = await signRenewal(this.#deps, msg);
      this.counts.signed++;
      this.#log.info("node certificate renewed", { node: r.node, serial: r.serial, notAfter: r.notAfter });
      return r.reply;
    } catch (err) {
      this.counts.refused++;
      const refused = err instanceof RenewalRefused;
      const reason = refused ? err.message : "signing failed on the cloud";
      if (refused) this.#log.warn("certificate renewal refused", { resource: msg.route.resource.slice(0, 300), reason });
      else this.#log.error("certificate renewal failed", { resource: msg.route.resource.slice(0, 300), error: err });
      return errorReplyTo(msg, `Cannot renew node certificate: ${reason}`, CERTSIGNER_MODULE);
    }
  }
}
