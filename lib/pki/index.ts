/**
 * The cloud's certificate authority: the CA and cloudhub's server certificate (created when absent), and client
 * certificates for edge nodes (CN = node name). Built on @peculiar/x509 with WebCrypto; no openssl binary.
 *
 * @module
 */
export { ensureCloudPki } from "./cloud_pki.ts";
export { caCertHash } from "./ca_hash.ts";
export { formatJoinToken, hashTokenSecret, isJoinTokenId, type JoinToken, JoinTokenFormatError, newJoinToken, parseJoinToken, secretMatches } from "./join_token.ts";
export { createNodeCsr, CsrError, MAX_CSR_BYTES, NODE_CERT_DEFAULT_DAYS, signNodeCsr, type SignNodeCsrOptions } from "./node_csr.ts";
export { BACKDATE_MS, issuedAtMs } from "./_leaf.ts";
export { issueNodeCertificate, NODE_CERT_FILES, writeNodeCertificate } from "./node_certificate.ts";
export type { CloudPki, CloudPkiOptions, CloudTlsPaths, NodeCertificateBundle, NodeCertificateOptions } from "./types.ts";
export { replaceKeyPair, recoverKeyPair, type KeyPairPaths } from "./key_pair_swap.ts";
export { certificateValidity, renewalTime, RENEW_AT_FRACTION, RENEW_JITTER_FRACTION } from "./renewal_time.ts";
export { renewServerCertificate } from "./server_certificate.ts";
