/**
 * cloudhub's serving certificate: which names it carries, signing it, and re-issuing it before it expires (the new
 * pair replaces the files crash-safe; the caller swaps it into the running servers).
 *
 * @module
 */
import { isIP } from "node:net";
import { hostname } from "node:os";
import type { SigningKey } from "./_keys.ts";
import { signLeaf } from "./_leaf.ts";
import { loadX509 } from "./_x509.ts";
import { replaceKeyPair } from "./key_pair_swap.ts";
import type { CloudPki } from "./types.ts";

/** The names a server certificate is for: loopback, the host name and the configured extra names. */
export function serverNames(hosts: string[]): string[] {
  return [...new Set(["127.0.0.1", "::1", "localhost", hostname().toLowerCase(), ...hosts].filter(Boolean))];
}

/** Signs a new server key and certificate (serverAuth) for `names`, valid `validityMs` from now. */
export async function signServerCertificate(caPem: string, signing: SigningKey, names: string[], validityMs: number): Promise<{ cert: string; key: string }> {
  const x509 = await loadX509();
  return signLeaf(x509, caPem, signing, {
    subject: "CN=kubeedge-ts cloudhub",
    validityMs,
    usage: x509.ExtendedKeyUsage.serverAuth,
    extra: [new x509.SubjectAlternativeNameExtension(names.map((n) => ({ type: isIP(n) ? ("ip" as const) : ("dns" as const), value: n })))],
  });
}

/**
 * Re-issues the server certificate from the CA for the same names and writes it over `paths`.
 *
 * @returns the new pair (PEM), to hand to the running servers
 */
export async function renewServerCertificate(
  pki: CloudPki,
  paths: { cert: string; key: string },
  options: { hosts: string[]; validityMs: number },
): Promise<{ cert: string; key: string }> {
  const pair = await signServerCertificate(pki.caCert, { key: pki.caSigningKey, algorithm: pki.caSigningAlgorithm }, serverNames(options.hosts), options.validityMs);
  await replaceKeyPair(paths, pair);
  return pair;
}
