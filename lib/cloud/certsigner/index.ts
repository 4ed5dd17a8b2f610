/**
 * CertSigner: renews node certificates over the nodes' own links, so a node never needs a new join token while its
 * certificate is valid.
 *
 * Consumes (inbox "certsigner", routed by cloudhub from group `certificate`): sync `certificaterequest` on
 * `node/<node>/certificate`, content `{ csr }`. The CSR must be for `CN=<node>`, the node the link authenticated: a
 * node renews only itself. At most `perMinute` requests per node (burst `burst`).
 *
 * Emits (to "cloudhub"): the `response` with content `{ cert, ca }` (lifetime `cloudHub.nodeCertValidity`), or an
 * `error` reply naming the refusal. Link announcements it receives are ignored.
 *
 * @module
 */
export { CertSigner } from "./cert_signer.ts";
export type { CertSignerOptions } from "./cert_signer.ts";
