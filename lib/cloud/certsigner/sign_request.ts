/**
 * One renewal request from a node: rate-limited per node, the CSR checked and signed for the node the link
 * authenticated (the `node/<node>/` prefix cloudhub put on the resource from the link's certificate), never for a name
 * read from the request.
 *
 * @module
 */
import type { RateLimiter } from "../../core/index.ts";
import { type CertificateReply, CERTSIGNER_MODULE, fromCloudResource, type Message, parseCertificateRequest, replyTo } from "../../model/index.ts";
import { type CloudPki, CsrError, certificateValidity, signNodeCsr } from "../../pki/index.ts";

/** A request refused for a reason the node may be told (the message goes back in the `error` reply). */
export class RenewalRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RenewalRefused";
  }
}

/** What signing needs. */
export type SignDeps = { pki: CloudPki; validityMs: number; limiter: RateLimiter };

/**
 * Signs one node's renewal request.
 *
 * @returns the reply carrying the certificate and the CA, plus the node and serial for the log
 * @throws RenewalRefused when the node asks too often or its request is malformed or not for itself
 */
export async function signRenewal(deps: SignDeps, msg: Message): Promise<{ reply: Message<CertificateReply>; node: string; serial: string; notAfter: string }> {
  let node: string;
  try {
    node = fromCloudResource(msg.route.resource).node;
  } catch {
    throw new RenewalRefused("request names no node");
  }
  // taken before the request is read, so junk costs a sender its quota as a valid request would
  if (!deps.limiter.take(node)) throw new RenewalRefused(`node "${node}" asked to renew its certificate too often; try later`);
  let csr: string;
  try {
    csr = parseCertificateRequest(msg.content).csr;
  } catch (err) {
    throw new RenewalRefused((err as Error).message);
  }
  try {
    const signed = await signNodeCsr(deps.pki, csr, node, { validityMs: deps.validityMs });
    const v = certificateValidity(signed.cert);
    return { reply: replyTo(msg, signed, CERTSIGNER_MODULE), node, serial: v.serial, notAfter: new Date(v.notAfter).toISOString() };
  } catch (err) {
    if (err instanceof CsrError) throw new RenewalRefused(err.message);
    throw err;
  }
}
