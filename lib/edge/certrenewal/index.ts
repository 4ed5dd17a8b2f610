/**
 * CertRenewal: keeps the node certificate valid without a restart or a new join token. After two thirds of its
 * lifetime (plus up to 5% jitter) it makes a new key and CSR, asks the cloud over the link, checks the answer against
 * the new key and the CA the node trusts, and replaces key and certificate crash-safe; EdgeHub uses them from its
 * next connection on. A failure is retried with backoff; an expired certificate cannot be renewed (join again).
 *
 * Consumes (inbox "certrenewal"): nothing but link announcements, which it ignores.
 *
 * Emits: sync `certificaterequest` (group `certificate`, resource `certificate`, content `{ csr }`) to "edgehub".
 *
 * @module
 */
export { CertRenewal } from "./cert_renewal.ts";
export type { CertRenewalOptions } from "./cert_renewal.ts";
