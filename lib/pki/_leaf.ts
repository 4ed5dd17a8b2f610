/**
 * Leaf certificates (server and node) signed by the cloud CA, each with a fresh ECDSA P-256 key.
 *
 * @module
 */
import type { Extension, PublicKey } from "@peculiar/x509";
import { generateKeyPair, privateKeyPem, type SigningKey, serialNumber } from "./_keys.ts";
import type { X509Lib } from "./_x509.ts";

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;
/** Certificates start an hour in the past so a host whose clock lags still accepts them. */
export const BACKDATE_MS = 3_600_000;

/**
 * How far before now a certificate valid for `validityMs` starts: {@link BACKDATE_MS}, but at most a tenth of its
 * lifetime, so a short-lived certificate's renewal point (two thirds of notBefore..notAfter) still lies ahead.
 */
export function backdateMs(validityMs: number): number {
  return Math.min(BACKDATE_MS, Math.floor(validityMs / 10));
}

/**
 * When a leaf certificate of ours valid from `notBeforeMs` to `notAfterMs` was issued, at the earliest: the inverse of
 * {@link backdateMs} (a lifetime above ten backdates starts one backdate early, a shorter one a tenth of its life
 * early), less a second for X.509's whole-second times. A revocation compares with this, so a certificate issued
 * before it is never taken for a newer one, whatever the lifetime it was signed with.
 */
export function issuedAtMs(notBeforeMs: number, notAfterMs: number): number {
  const span = notAfterMs - notBeforeMs;
  const validity = span >= 11 * BACKDATE_MS ? span - BACKDATE_MS : (span * 10) / 11;
  return notAfterMs - validity - 1000;
}

/** What a leaf certificate needs beside the CA. `validityMs` counts from now. */
export type LeafSpec = { subject: string; validityMs: number; usage: string; extra: Extension[] };

/** Makes a new key and a certificate for it signed by the CA. */
export async function signLeaf(
  x509: X509Lib,
  caPem: string,
  signing: SigningKey,
  spec: LeafSpec,
): Promise<{ cert: string; key: string }> {
  const keys = await generateKeyPair();
  const cert = await signPublicKey(x509, caPem, signing, spec, keys.publicKey);
  return { cert, key: await privateKeyPem(x509, keys.privateKey) };
}

/** Certifies a public key someone else holds the private half of (a node's CSR): @returns the certificate PEM. */
export async function signPublicKey(
  x509: X509Lib,
  caPem: string,
  signing: SigningKey,
  spec: LeafSpec,
  publicKey: CryptoKey | PublicKey,
): Promise<string> {
  const ca = new x509.X509Certificate(caPem);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: spec.subject,
    issuer: ca.subject,
    notBefore: new Date(now - backdateMs(spec.validityMs)),
    notAfter: new Date(Math.min(now + spec.validityMs, ca.notAfter.getTime())),
    signingAlgorithm: signing.algorithm,
    publicKey,
    signingKey: signing.key,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([spec.usage]),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
      ...spec.extra,
    ],
  });
  return cert.toString("pem");
}
