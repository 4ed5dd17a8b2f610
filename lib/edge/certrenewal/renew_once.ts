/**
 * One renewal: a new key and CSR made here (the key never leaves the node), the request over the link, the answer
 * checked against the key and the CA this node already trusts, then key and certificate replaced crash-safe.
 *
 * @module
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Bus } from "../../core/index.ts";
import { ModuleName, newCertificateRequest, Op, parseCertificateReply } from "../../model/index.ts";
import { certificateValidity, createNodeCsr, type KeyPairPaths, replaceKeyPair } from "../../pki/index.ts";

/** What a renewal needs. */
export type RenewDeps = {
  bus: Bus;
  nodeName: string;
  /** Paths of the CA, node certificate and key. */
  tls: KeyPairPaths & { ca: string };
  timeoutMs: number;
  signal: AbortSignal;
};

/**
 * Renews the node certificate once.
 *
 * @returns the new certificate's serial and end of validity
 * @throws Error naming the cause (not connected, refused by the cloud, a certificate that does not fit)
 */
export async function renewOnce(d: RenewDeps): Promise<{ serial: string; notAfter: number }> {
  const { key, csr } = await createNodeCsr(d.nodeName);
  const reply = await d.bus.sendSync(ModuleName.edgeHub, newCertificateRequest(ModuleName.certRenewal, csr), { timeoutMs: d.timeoutMs, signal: d.signal });
  if (reply.route.operation === Op.error) throw new Error(String(reply.content).slice(0, 500));
  const { cert } = parseCertificateReply(reply.content);
  checkIssued(cert, key, await readFile(d.tls.ca, "utf8"), d.nodeName);
  await replaceKeyPair(d.tls, { key, cert });
  const v = certificateValidity(cert);
  return { serial: v.serial, notAfter: v.notAfter };
}

/**
 * The answer must certify our new key for this node and be signed by the CA we already trust (the CA in the reply is
 * not taken: a reply cannot change what the node trusts).
 */
function checkIssued(certPem: string, keyPem: string, caPem: string, nodeName: string): void {
  let cert;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    throw new Error("cloud answered with something that is not a PEM certificate");
  }
  if (cert.subject !== `CN=${nodeName}`) throw new Error(`cloud answered with a certificate for ${JSON.stringify(cert.subject.slice(0, 300))}, not "CN=${nodeName}"`);
  if (!cert.checkPrivateKey(createPrivateKey(keyPem))) throw new Error("cloud answered with a certificate for another key");
  if (!cert.verify(new X509Certificate(caPem).publicKey)) throw new Error("cloud answered with a certificate not signed by this node's CA");
}
