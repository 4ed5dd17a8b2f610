/**
 * Joining a node by token: join tokens stored as Secrets in cloud_core's namespace, and the unauthenticated join
 * endpoints on cloudhub's port that trade a valid token and a CSR for a node certificate.
 *
 * @module
 */
export { createJoinHandler, JOIN_PATH, type JoinHandlerOptions, MAX_JOIN_BODY_BYTES } from "./join_handler.ts";
export { JOIN_TOKEN_SECRET_TYPE, JOIN_TOKEN_USAGES, joinTokenStore, type CreateTokenOptions, type JoinTokenRecord, type JoinTokenStore } from "./token_store.ts";
