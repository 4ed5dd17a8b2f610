/**
 * Node certificates: what an edge node presents to cloudhub. The CN is the node name, which cloudhub compares with
 * the node in the link URL, so a node can only act for itself.
 *
 * @module
 */
import { join } from "node:path";
// Kubernetes node names are DNS subdomains (RFC 1123); the config owns that rule
import { isNodeName } from "../config/schema.ts";
import { DAY_MS, signLeaf } from "./_leaf.ts";
import { writePemFile } from "./_pem_file.ts";
import { loadX509 } from "./_x509.ts";
import type { CloudPki, NodeCertificateBundle, NodeCertificateOptions } from "./types.ts";

const DEFAULTS = { validityMs: 365 * DAY_MS };

/**
 * Issues a client certificate for an edge node: CN = `nodeName`, extended key usage clientAuth, signed by the cloud CA.
 *
 * @param pki the cloud's CA, from {@link ensureCloudPki}
 * @param nodeName the Kubernetes node name
 * @returns the certificate, its new private key and the CA certificate, as PEM strings
 * @throws TypeError when `nodeName` is not a valid node name
 * @example Issue and save a certificate for node edge-1
 * ```ts
 * const bundle = await issueNodeCertificate(pki, "edge-1");
 * await writeNodeCertificate("/var/lib/kubeedge-ts/edge/certs", bundle);
 * ```
 */
export async function issueNodeCertificate(pki: CloudPki, nodeName: string, options: NodeCertificateOptions = {}): Promise<NodeCertificateBundle> {
  if (!isNodeName(nodeName)) {
    throw new TypeError(`Cannot issue node certificate: node name must be lower case letters, digits, "-" or "." (RFC 1123), got ${JSON.stringify(nodeName)}`);
  }
  const opts = { ...DEFAULTS, ...options };
  const x509 = await loadX509();
  const pair = await signLeaf(x509, pki.caCert, { key: pki.caSigningKey, algorithm: pki.caSigningAlgorithm }, {
    subject: `CN=${nodeName}`,
    validityMs: opts.validityMs,
    usage: x509.ExtendedKeyUsage.clientAuth,
    extra: [],
  });
  return { ...pair, ca: pki.caCert };
}

/** Files {@link writeNodeCertificate} writes: the names edge.yaml expects under `<dataDir>/certs`. */
export const NODE_CERT_FILES = { ca: "ca.crt", cert: "node.crt", key: "node.key" } as const;

/**
 * Writes a node certificate bundle as `ca.crt`, `node.crt` and `node.key` (mode 0600) into `dir`, creating it.
 *
 * @returns the paths written
 */
export async function writeNodeCertificate(dir: string, bundle: NodeCertificateBundle): Promise<{ ca: string; cert: string; key: string }> {
  const paths = { ca: join(dir, NODE_CERT_FILES.ca), cert: join(dir, NODE_CERT_FILES.cert), key: join(dir, NODE_CERT_FILES.key) };
  await writePemFile(paths.key, bundle.key);
  await writePemFile(paths.cert, bundle.cert);
  await writePemFile(paths.ca, bundle.ca);
  return paths;
}

