/**
 * The cloud's certificate authority and cloudhub's server certificate: created on first start, loaded afterwards.
 *
 * @module
 */
import { createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from "node:crypto";
import { createLogger, type Logger } from "../log/index.ts";
import { generateKeyPair, importSigningKey, NEW_KEY_ALGORITHM, privateKeyPem, type SigningKey, serialNumber } from "./_keys.ts";
import { BACKDATE_MS, DAY_MS } from "./_leaf.ts";
import { createPemFileExclusive, readPemFile, writePemFile } from "./_pem_file.ts";
import { loadX509 } from "./_x509.ts";
import { recoverKeyPair } from "./key_pair_swap.ts";
import { serverNames, signServerCertificate } from "./server_certificate.ts";
import type { CloudPki, CloudPkiOptions, CloudTlsPaths } from "./types.ts";

const DEFAULTS = { hosts: [] as string[], caValidityDays: 3650, certValidityMs: 365 * DAY_MS };
/** How long a key without its certificate may be another process's pair still being written. */
const SETTLE_MS = 10_000;
const SETTLE_POLL_MS = 50;

type Ctx = { paths: CloudTlsPaths; opts: typeof DEFAULTS; log: Logger };
type Pair = { cert: string; key: string };

/**
 * Loads the CA and the server certificate from `tls`, creating whichever pair is absent: a CA (ECDSA P-256,
 * `CN=kubeedge-ts CA`) and a server certificate signed by it for 127.0.0.1, ::1, localhost, the host name and
 * `options.hosts`. Every file is written with mode 0600.
 *
 * Creation is exclusive, so cloud_core and `cloud_core cert` started together end with one CA: a pair is published
 * key first, by a hard link that fails when the key exists, then its certificate. The process whose key link fails
 * drops its own pair and waits for the winner's certificate (up to 10 s), then uses that pair.
 *
 * @param tls file paths of the CA certificate and key and of the server certificate and key
 * @returns the PEM strings and the imported CA signing key
 * @throws Error when one file of a pair exists without the other, a file is not PEM, or the CA key does not match
 *   the CA certificate
 * @example Prepare the cloud's TLS on first start
 * ```ts
 * const pki = await ensureCloudPki({ ca: "pki/ca.crt", caKey: "pki/ca.key", cert: "pki/server.crt", key: "pki/server.key" });
 * https.createServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert, requestCert: true });
 * ```
 */
export async function ensureCloudPki(tls: CloudTlsPaths, options: CloudPkiOptions = {}): Promise<CloudPki> {
  const ctx: Ctx = {
    paths: tls,
    opts: { ...DEFAULTS, ...options, hosts: options.hosts ?? [] },
    log: options.log ?? createLogger("pki"),
  };
  const ca = (await loadPair(tls.ca, tls.caKey, "CA")) ?? (await createCa(ctx));
  const signing = await importSigningKey(ca.key, `CA key "${tls.caKey}"`);
  checkKeyMatches(tls, ca.cert, ca.key);
  // a rotation cut short by a crash left its new pair staged: finish it before loading
  await recoverKeyPair({ cert: tls.cert, key: tls.key });
  const server = (await loadPair(tls.cert, tls.key, "server certificate")) ?? (await createServerCert(ctx, ca.cert, signing));
  return {
    caCert: ca.cert,
    caKey: ca.key,
    serverCert: server.cert,
    serverKey: server.key,
    caSigningKey: signing.key,
    caSigningAlgorithm: signing.algorithm,
  };
}

/**
 * Reads a certificate and its key. A key whose certificate is missing may be a pair another process is publishing
 * (see {@link publishPair}): that is waited for up to {@link SETTLE_MS} before it counts as broken.
 *
 * @returns undefined when both are absent
 */
async function loadPair(certPath: string, keyPath: string, what: string): Promise<Pair | undefined> {
  let [cert, key] = await Promise.all([readPemFile(certPath), readPemFile(keyPath)]);
  for (const end = Date.now() + SETTLE_MS; cert === undefined && key !== undefined && Date.now() < end;) {
    await new Promise((r) => setTimeout(r, SETTLE_POLL_MS));
    cert = await readPemFile(certPath);
  }
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) {
    const [present, missing] = cert === undefined ? [keyPath, certPath] : [certPath, keyPath];
    throw new Error(`Cannot load ${what}: "${present}" exists but "${missing}" is missing (restore it, or remove both to create new ones)`);
  }
  return { cert, key };
}

async function createCa(ctx: Ctx): Promise<Pair> {
  // The x509 library is loaded only to create certificates; loading existing ones uses node:crypto (faster start).
  const x509 = await loadX509();
  const keys = await generateKeyPair();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: "CN=kubeedge-ts CA",
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(now + ctx.opts.caValidityDays * DAY_MS),
    signingAlgorithm: NEW_KEY_ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pair = { cert: cert.toString("pem"), key: await privateKeyPem(x509, keys.privateKey) };
  const winner = await publishPair(ctx.paths.ca, ctx.paths.caKey, pair, "CA");
  if (winner === pair) ctx.log.info("created CA", { cert: ctx.paths.ca, validDays: ctx.opts.caValidityDays });
  else ctx.log.info("another process created the CA at the same time; using it", { cert: ctx.paths.ca });
  return winner;
}

/**
 * Publishes a new pair unless another process got there first: the key is linked into place exclusively (the
 * claim), then the certificate is written. @returns `pair` when this process won, else the pair that won
 */
async function publishPair(certPath: string, keyPath: string, pair: Pair, what: string): Promise<Pair> {
  if (await createPemFileExclusive(keyPath, pair.key)) {
    await writePemFile(certPath, pair.cert);
    return pair;
  }
  const theirs = await loadPair(certPath, keyPath, what);
  if (!theirs) throw new Error(`Cannot load ${what}: "${keyPath}" existed a moment ago and is gone`);
  return theirs;
}

async function createServerCert(ctx: Ctx, caPem: string, signing: SigningKey): Promise<Pair> {
  const names = serverNames(ctx.opts.hosts);
  const cert = await signServerCertificate(caPem, signing, names, ctx.opts.certValidityMs);
  const winner = await publishPair(ctx.paths.cert, ctx.paths.key, cert, "server certificate");
  if (winner === cert) ctx.log.info("created server certificate", { cert: ctx.paths.cert, names: names.join(",") });
  return winner;
}

/** Compares the public half of the CA key with the CA certificate's key, so a swapped key fails at start. */
function checkKeyMatches(paths: CloudTlsPaths, caPem: string, keyPem: string): void {
  let cert;
  try {
    cert = new X509Certificate(caPem);
  } catch (cause) {
    throw new Error(`Cannot load CA "${paths.ca}": not a PEM certificate`, { cause });
  }
  const spki = (k: KeyObject) => k.export({ type: "spki", format: "der" });
  if (!spki(createPublicKey(createPrivateKey(keyPem))).equals(spki(cert.publicKey))) {
    throw new Error(`Cannot load CA: key "${paths.caKey}" does not belong to certificate "${paths.ca}"`);
  }
}
