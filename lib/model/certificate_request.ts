/**
 * A node renewing its own certificate over its link: the edge sends a sync message, group `certificate`, operation
 * `certificaterequest`, resource `certificate`, content `{ csr }` (PEM PKCS#10 for `CN=<node>`). The cloud's
 * certsigner answers with a `response` whose content is `{ cert, ca }` (PEM), or an `error` naming what was refused.
 *
 * @module
 */
import { type Message, newMessage } from "./message.ts";

/** Route group of certificate messages. */
export const CERTIFICATE_GROUP = "certificate";
/** Operation of a renewal request. */
export const CERTIFICATE_REQUEST_OPERATION = "certificaterequest";
/** Resource of a renewal request, in edge form (cloudhub prefixes `node/<node>/`). */
export const CERTIFICATE_RESOURCE = "certificate";
/** The cloud module that signs renewal requests. */
export const CERTSIGNER_MODULE = "certsigner";

/** Content of a renewal request. */
export type CertificateRequest = { csr: string };
/** Content of a renewal reply. */
export type CertificateReply = { cert: string; ca: string };

/** Largest PEM string accepted in either direction (a certificate chain of a few KiB fits many times). */
const MAX_PEM_CHARS = 64 * 1024;

/** Builds the sync request a node sends to renew its certificate. */
export function newCertificateRequest(source: string, csr: string): Message<CertificateRequest> {
  return newMessage({ source, group: CERTIFICATE_GROUP, operation: CERTIFICATE_REQUEST_OPERATION, resource: CERTIFICATE_RESOURCE, content: { csr }, sync: true });
}

function pemField(content: unknown, field: string, what: string): string {
  const v = typeof content === "object" && content !== null ? (content as Record<string, unknown>)[field] : undefined;
  if (typeof v !== "string" || v.length === 0 || v.length > MAX_PEM_CHARS) {
    throw new TypeError(`Cannot read ${what}: "${field}" must be a PEM string of at most ${MAX_PEM_CHARS} characters`);
  }
  return v;
}

/** Checks a request's content. @throws TypeError naming the bad field */
export function parseCertificateRequest(content: unknown): CertificateRequest {
  return { csr: pemField(content, "csr", "certificate request") };
}

/** Checks a reply's content. @throws TypeError naming the bad field */
export function parseCertificateReply(content: unknown): CertificateReply {
  return { cert: pemField(content, "cert", "certificate reply"), ca: pemField(content, "ca", "certificate reply") };
}
