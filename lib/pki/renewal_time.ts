/**
 * When a certificate is renewed: two thirds into its lifetime, plus a small random delay so nodes whose certificates
 * were issued together (a fleet joined in one go) do not all come back to the cloud in the same second.
 *
 * @module
 */
import { X509Certificate } from "node:crypto";

/** Fraction of the lifetime after which renewal starts. */
export const RENEW_AT_FRACTION = 2 / 3;
/** Largest random delay added, as a fraction of the lifetime (5%: still well before expiry). */
export const RENEW_JITTER_FRACTION = 0.05;

/**
 * The moment to renew a certificate valid from `notBefore` to `notAfter` (ms since the epoch).
 *
 * @param random a number in [0, 1) choosing the jitter; @default Math.random
 * @returns ms since the epoch, between two thirds and 71.7% of the lifetime
 * @throws RangeError when `notAfter` is not after `notBefore`
 */
export function renewalTime(notBefore: number, notAfter: number, random: () => number = Math.random): number {
  const life = notAfter - notBefore;
  if (!(life > 0)) throw new RangeError(`Cannot plan renewal: certificate ends (${new Date(notAfter).toISOString()}) before it starts`);
  return Math.round(notBefore + life * RENEW_AT_FRACTION + life * RENEW_JITTER_FRACTION * random());
}

/**
 * Validity of a PEM certificate, as ms since the epoch.
 *
 * @throws TypeError when `pem` is not a PEM certificate
 */
export function certificateValidity(pem: string): { notBefore: number; notAfter: number; serial: string } {
  let cert;
  try {
    cert = new X509Certificate(pem);
  } catch (cause) {
    throw new TypeError("Cannot read certificate validity: not a PEM certificate", { cause });
  }
  return { notBefore: Date.parse(cert.validFrom), notAfter: Date.parse(cert.validTo), serial: cert.serialNumber };
}
