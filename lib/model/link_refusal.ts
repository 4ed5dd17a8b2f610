/**
 * How cloudhub tells a node that its certificate is revoked, on both paths the node can meet it: an upgrade refused
 * with HTTP 403 carries the {@link REFUSAL_HEADER} header, and a live link is closed with {@link REVOKED_CLOSE_CODE}.
 * The edge reads either one to log why it cannot connect instead of a bare status.
 *
 * @module
 */

/** Response header on a refused link upgrade that names the cause in one word (for example "revoked"). */
export const REFUSAL_HEADER = "x-kubeedge-refusal";

/** The {@link REFUSAL_HEADER} value, and close reason, for a node certificate the cloud has revoked. */
export const REVOKED_REFUSAL = "revoked";

/** Close code of a link whose node was revoked while linked (the websocket protocol leaves 4000-4999 to applications). */
export const REVOKED_CLOSE_CODE = 4003;
