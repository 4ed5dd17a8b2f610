/**
 * The HTTP status of a failed Kubernetes API call made with client-node: what every cloud module that talks to the
 * API (controllers, EdgeController, revocation, join tokens) branches on (404, 409, 422).
 *
 * @module
 */
import { ApiException } from "@kubernetes/client-node";

/** The HTTP status of a failed client-node call, or undefined for other errors. */
export function statusOf(e: unknown): number | undefined {
  return e instanceof ApiException ? e.code : undefined;
}
