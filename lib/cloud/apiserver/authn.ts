/**
 * Who a request is, and what a non-admin may do. The admin token (the kubeconfig's) may do everything. A
 * service-account token is valid while its signature, lifetime and audience hold and its ServiceAccount and bound
 * pod still exist with the uids it names; such a user has what a fresh ServiceAccount has on a real cluster with
 * RBAC and no bindings: discovery, version and OpenAPI, and a 403 worded like the real one for every resource.
 *
 * @module
 */
import { timingSafeEqual } from "node:crypto";
import type { ApiContext } from "./handlers/index.ts";
import type { Route } from "./route.ts";
import { forbidden, type StatusError } from "./status_error.ts";

/** The authenticated user of a request. */
export type Identity = { admin: true; username: string } | { admin: false; username: string; namespace: string };

function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? "");
  return m ? m[1]!.trim() : undefined;
}

/**
 * Authenticates the `Authorization` header.
 *
 * @returns the identity, or undefined for a missing or invalid credential (401)
 */
export function authenticate(ctx: ApiContext, header: string | undefined, adminToken: string): Identity | undefined {
  const given = bearer(header);
  if (!given) return undefined;
  const a = Buffer.from(given), b = Buffer.from(adminToken);
  if (a.length === b.length && timingSafeEqual(a, b)) return { admin: true, username: "kubeedge-ts-admin" };
  const claims = ctx.tokens.verify(given);
  if (!claims) return undefined;
  const sa = ctx.storage.get("serviceaccounts", claims.namespace, claims.serviceAccount.name);
  if (!sa || sa.object.metadata?.uid !== claims.serviceAccount.uid) return undefined;
  if (claims.pod) {
    const pod = ctx.storage.get("pods", claims.namespace, claims.pod.name);
    if (!pod || pod.object.metadata?.uid !== claims.pod.uid) return undefined;
  }
  return { admin: false, username: `system:serviceaccount:${claims.namespace}:${claims.serviceAccount.name}`, namespace: claims.namespace };
}

const VERB_OF_METHOD: Record<string, string> = { POST: "create", PUT: "update", PATCH: "patch", DELETE: "delete", GET: "get" };

/**
 * Whether `identity` may make this request.
 *
 * @returns undefined when allowed, else the 403 to send
 */
export function authorize(identity: Identity, method: string, route: Route, watch: boolean): StatusError | undefined {
  if (identity.admin) return undefined;
  if (route.type !== "resource") return method === "GET" ? undefined : forbidden(`User "${identity.username}" cannot ${method.toLowerCase()} path "${route.type}"`);
  let verb = VERB_OF_METHOD[method] ?? method.toLowerCase();
  if (route.name === undefined && !route.subresource) {
    if (method === "GET") verb = watch || route.watchPath ? "watch" : "list";
    if (method === "DELETE") verb = "deletecollection";
  } else if (method === "GET" && (watch || route.watchPath)) verb = "watch";
  const resource = route.subresource ? `${route.resource}/${route.subresource}` : route.resource;
  const target = route.name ? `${resource} "${route.name}"` : resource;
  const scope = route.namespace !== undefined ? `in the namespace "${route.namespace}"` : "at the cluster scope";
  return forbidden(`${target} is forbidden: User "${identity.username}" cannot ${verb} resource "${resource}" in API group "${route.group}" ${scope}`);
}
