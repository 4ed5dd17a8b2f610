/**
 * The CA pin a join token carries: `sha256:<hex>` of the CA certificate's SubjectPublicKeyInfo (the form kubeadm
 * uses for its discovery-token-ca-cert-hash). A joining node compares it with the CA the cloud shows before it
 * trusts that CA, so a man in the middle cannot hand it another one.
 *
 * @module
 */
import { createHash, X509Certificate } from "node:crypto";

/**
 * @returns `sha256:` and the lower-case hex SHA-256 of the CA's public key (DER SubjectPublicKeyInfo)
 * @throws TypeError when `caPem` is not a PEM certificate
 */
export function caCertHash(caPem: string): string {
  let cert;
  try {
    cert = new X509Certificate(caPem);
  } catch (cause) {
    throw new TypeError("Cannot hash CA: not a PEM certificate", { cause });
  }
  const spki = cert.publicKey.export({ type: "spki", format: "der" });
  return `sha256:${createHash("sha256").update(spki).digest("hex")}`;
}
