/**
 * Node certificates from a certificate signing request: the node makes its own key and sends only a CSR (PKCS#10),
 * so its private key never leaves the device. Used when a node joins with a token and when it renews over its link.
 *
 * @module
 */
import { generateKeyPair, NEW_KEY_ALGORITHM, privateKeyPem } from "./_keys.ts";
import { DAY_MS, signPublicKey } from "./_leaf.ts";
import { loadX509 } from "./_x509.ts";
import { isNodeName } from "../config/schema.ts";
import type { CloudPki } from "./types.ts";

/** A CSR larger than this is refused unread: an EC or RSA-4096 request is well under 4 KiB. */
export const MAX_CSR_BYTES = 16 * 1024;

/** Default lifetime of a node certificate signed from a CSR: one year. */
export const NODE_CERT_DEFAULT_DAYS = 365;

/** A CSR that cannot be signed; the message is safe to send back to the node and to log. */
export class CsrError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CsrError";
  }
}

/**
 * Makes a new ECDSA P-256 key and a CSR for it with subject `CN=<nodeName>`. Runs on the edge.
 *
 * @returns the private key (PKCS#8 PEM; keep it 0600 on the device) and the CSR (PEM) to send to the cloud
 */
export async function createNodeCsr(nodeName: string): Promise<{ key: string; csr: string }> {
  const x509 = await loadX509();
  const keys = await generateKeyPair();
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${nodeName}`,
    keys,
    signingAlgorithm: NEW_KEY_ALGORITHM,
  });
  return { key: await privateKeyPem(x509, keys.privateKey), csr: csr.toString("pem") };
}

/** Options of {@link signNodeCsr}. */
export type SignNodeCsrOptions = {
  /** Lifetime of the certificate in milliseconds (cloud.yaml `cloudHub.nodeCertValidity`). @default {@link NODE_CERT_DEFAULT_DAYS} days */
  validityMs?: number;
};

/**
 * Signs a node's CSR with the cloud CA: CN = `nodeName`, client authentication only. The CSR is hostile input: it
 * must be one PEM request of at most {@link MAX_CSR_BYTES}, carry a valid self-signature (so the sender holds the
 * key), name exactly `CN=<nodeName>` and hold an EC P-256/P-384 or RSA (2048 bits or more) key. Extensions it asks
 * for are ignored: the cloud decides what a node certificate allows.
 *
 * @param nodeName the node the caller has already authenticated (token or link), not a name read from the CSR
 * @returns the certificate and the CA certificate (PEM)
 * @throws CsrError naming what is wrong with the request
 */
export async function signNodeCsr(pki: CloudPki, csrPem: string, nodeName: string, options: SignNodeCsrOptions = {}): Promise<{ cert: string; ca: string }> {
  if (!isNodeName(nodeName)) throw new CsrError(`node name ${JSON.stringify(nodeName.slice(0, 80))} is not a valid node name`);
  if (typeof csrPem !== "string" || csrPem.length > MAX_CSR_BYTES) throw new CsrError(`certificate request is not a PEM string of at most ${MAX_CSR_BYTES} bytes`);
  const x509 = await loadX509();
  let csr;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem.trim());
  } catch {
    throw new CsrError("certificate request is not a PEM PKCS#10 request");
  }
  let valid = false;
  try {
    valid = await csr.verify();
  } catch {
    valid = false;
  }
  if (!valid) throw new CsrError("certificate request signature does not verify");
  if (csr.subject !== `CN=${nodeName}`) {
    throw new CsrError(`certificate request is for ${JSON.stringify(csr.subject.slice(0, 300))}, expected "CN=${nodeName}"`);
  }
  checkKey(csr.publicKey.algorithm as Algorithm & { namedCurve?: string; modulusLength?: number }, csr.publicKey.rawData.byteLength);
  const cert = await signPublicKey(x509, pki.caCert, { key: pki.caSigningKey, algorithm: pki.caSigningAlgorithm }, {
    subject: `CN=${nodeName}`,
    validityMs: options.validityMs ?? NODE_CERT_DEFAULT_DAYS * DAY_MS,
    usage: x509.ExtendedKeyUsage.clientAuth,
    extra: [],
  }, csr.publicKey);
  return { cert, ca: pki.caCert };
}

function checkKey(alg: Algorithm & { namedCurve?: string }, spkiBytes: number): void {
  if (alg.name === "ECDSA" || alg.name === "ECDH") {
    if (alg.namedCurve === "P-256" || alg.namedCurve === "P-384") return;
    throw new CsrError(`certificate request key is EC on ${alg.namedCurve ?? "an unknown curve"}; use P-256 or P-384`);
  }
  // RSA SubjectPublicKeyInfo of a 2048-bit key is 294 bytes; smaller means a weaker key
  if (alg.name.startsWith("RSA") && spkiBytes >= 290) return;
  throw new CsrError(`certificate request key ${alg.name} is not EC P-256/P-384 or RSA of 2048 bits or more`);
}
