/**
 * Key pairs and serial numbers for the CA. New keys are ECDSA P-256 (fast to make and to verify on small edge
 * hosts); existing keys may be any EC (P-256, P-384) or RSA key in PEM, as a user-supplied CA often is.
 *
 * @module
 */
import { createPrivateKey } from "node:crypto";
import type { X509Lib } from "./_x509.ts";

/** A private key imported for signing, with the signature algorithm that fits it. */
export type SigningKey = { key: CryptoKey; algorithm: EcdsaParams | Algorithm };

/** Algorithm of keys we generate, and the matching signature algorithm. */
export const NEW_KEY_ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

/** Generates an extractable ECDSA P-256 key pair. */
export function generateKeyPair(): Promise<CryptoKeyPair> {
  return globalThis.crypto.subtle.generateKey(NEW_KEY_ALGORITHM, true, ["sign", "verify"]) as Promise<CryptoKeyPair>;
}

/** Encodes a private key as a PKCS#8 PEM ("PRIVATE KEY"). */
export async function privateKeyPem(x509: X509Lib, key: CryptoKey): Promise<string> {
  const pkcs8 = await globalThis.crypto.subtle.exportKey("pkcs8", key);
  return x509.PemConverter.encode(pkcs8, "PRIVATE KEY");
}

const CURVES: Record<string, { namedCurve: string; hash: string }> = {
  prime256v1: { namedCurve: "P-256", hash: "SHA-256" },
  secp384r1: { namedCurve: "P-384", hash: "SHA-384" },
};

/**
 * Imports a PEM private key (PKCS#8, SEC1 or PKCS#1) for signing.
 *
 * @throws TypeError when the key is not PEM or is neither RSA nor EC on P-256 / P-384
 */
export async function importSigningKey(pem: string, what: string): Promise<SigningKey> {
  let ko;
  try {
    ko = createPrivateKey(pem);
  } catch (cause) {
    throw new TypeError(`Cannot load ${what}: not a PEM private key`, { cause });
  }
  const der = ko.export({ type: "pkcs8", format: "der" });
  if (ko.asymmetricKeyType === "ec") {
    const curve = CURVES[ko.asymmetricKeyDetails?.namedCurve ?? ""];
    if (!curve) throw new TypeError(`Cannot load ${what}: EC curve "${ko.asymmetricKeyDetails?.namedCurve}" is not P-256 or P-384`);
    const key = await globalThis.crypto.subtle.importKey("pkcs8", der, { name: "ECDSA", namedCurve: curve.namedCurve }, false, ["sign"]);
    return { key, algorithm: { name: "ECDSA", hash: curve.hash } };
  }
  if (ko.asymmetricKeyType === "rsa") {
    const algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
    return { key: await globalThis.crypto.subtle.importKey("pkcs8", der, algorithm, false, ["sign"]), algorithm };
  }
  throw new TypeError(`Cannot load ${what}: key type "${ko.asymmetricKeyType}" is not EC or RSA`);
}

/** A random positive 128-bit serial number in hex (RFC 5280 §4.1.2.2: positive, at most 20 octets). */
export function serialNumber(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[0] &= 0x7f;
  bytes[0] |= 0x01;
  return Buffer.from(bytes).toString("hex");
}
