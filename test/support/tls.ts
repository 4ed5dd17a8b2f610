/**
 * Throwaway TLS material for tests: a self-signed certificate for 127.0.0.1/localhost and its key, as PEM. Serving
 * code takes PEM strings, so tests do not need the real cloud CA.
 *
 * @module
 */
import { webcrypto } from "node:crypto";

installReflectMetadata();
const x509 = await import("@peculiar/x509");

/**
 * @peculiar/x509 (through tsyringe) needs the Reflect metadata API at import time. This is the small part of it that
 * tsyringe calls, kept per target and key in WeakMaps, so no polyfill package is needed.
 */
function installReflectMetadata(): void {
  const r = Reflect as unknown as Record<string, unknown>;
  if (typeof r.getMetadata === "function") return;
  const store = new WeakMap<object, Map<unknown, unknown>>();
  const own = (target: object) => store.get(target);
  r.defineMetadata = (key: unknown, value: unknown, target: object) => {
    let m = own(target);
    if (!m) store.set(target, (m = new Map()));
    m.set(key, value);
  };
  r.getOwnMetadata = (key: unknown, target: object) => own(target)?.get(key);
  r.getMetadata = (key: unknown, target: object) => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
      const m = own(t);
      if (m?.has(key)) return m.get(key);
    }
    return undefined;
  };
  r.metadata = (key: unknown, value: unknown) => (target: object) => (r.defineMetadata as Function)(key, value, target);
}

/** A certificate, its private key and the CA that vouches for it (the certificate itself when self-signed). */
export type TestTls = { cert: string; key: string; ca: string };

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

/**
 * Creates a self-signed serving certificate valid for `127.0.0.1`, `::1` and `localhost` for one day.
 *
 * @example Serve HTTPS in a test
 * ```ts
 * const tls = await selfSignedTls();
 * https.createServer({ cert: tls.cert, key: tls.key });
 * ```
 */
export async function selfSignedTls(commonName = "kubeedge-ts-test"): Promise<TestTls> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const keys = await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"]);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01" + Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString("hex"),
    name: `CN=${commonName}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 86_400_000),
    signingAlgorithm: ALG,
    keys: keys as unknown as CryptoKeyPair,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: "ip", value: "127.0.0.1" },
        { type: "ip", value: "::1" },
        { type: "dns", value: "localhost" },
      ]),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
  const key = x509.PemConverter.encode(pkcs8, "PRIVATE KEY");
  const pem = cert.toString("pem");
  return { cert: pem, key, ca: pem };
}
