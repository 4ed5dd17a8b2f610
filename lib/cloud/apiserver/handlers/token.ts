/**
 * POST `serviceaccounts/<name>/token` (TokenRequest, `authentication.k8s.io/v1`): a signed token for the
 * ServiceAccount, optionally bound to a pod that must exist (and match the given uid), for the audiences and lifetime
 * asked (defaults: the API's own audience, 3600 s; at least 600 s), as a real apiserver issues it.
 *
 * @module
 */
import { isPlainObject, type JsonObject } from "../../../kube/index.ts";
import { decodeObject, readBody, sendJson } from "../http_io.ts";
import { TOKEN_ISSUER } from "../sa_tokens.ts";
import { badRequest, conflict, invalid, type StatusCause } from "../status_error.ts";
import type { Handler } from "./context.ts";

const MIN_SECONDS = 600;
const MAX_SECONDS = 2 ** 32;
const DEFAULT_SECONDS = 3600;
// A real apiserver (--service-account-extend-token-expiration, on by default) makes the kubelet's 3607 s tokens of
// the API's own audience bound to a pod valid for a year, reporting 3607 s and marking when use warns.
const EXTENDED_REQUEST_SECONDS = 3607;
const EXTENDED_SECONDS = 365 * 24 * 3600;

function utc(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d+Z$/, "Z");
}

/** Issues a token and replies 201 with the TokenRequest and its status. */
export const tokenRequest: Handler = async (ctx, r) => {
  const body = decodeObject(await readBody(r.req, ctx.limits.maxBodyBytes), r.req.headers["content-type"]);
  if (!isPlainObject(body)) throw badRequest("the body of the request must be a TokenRequest object");
  if (body.kind !== undefined && body.kind !== "TokenRequest") {
    throw badRequest(`the kind of the provided object (${String(body.kind)}) does not match the expected kind (TokenRequest)`);
  }
  const sa = ctx.service.get(r.info, r.namespace, r.name).object;
  const spec: JsonObject = isPlainObject(body.spec) ? structuredClone(body.spec) : {};
  const causes: StatusCause[] = [];
  if (spec.expirationSeconds === undefined || spec.expirationSeconds === null) spec.expirationSeconds = DEFAULT_SECONDS;
  const seconds = spec.expirationSeconds;
  if (typeof seconds !== "number" || !Number.isInteger(seconds)) {
    causes.push({ reason: "FieldValueInvalid", field: "spec.expirationSeconds", message: `Invalid value: ${JSON.stringify(seconds)}: must be an integer` });
  } else if (seconds < MIN_SECONDS) {
    causes.push({ reason: "FieldValueInvalid", field: "spec.expirationSeconds", message: `Invalid value: ${seconds}: may not specify a duration less than 10 minutes` });
  } else if (seconds > MAX_SECONDS) {
    causes.push({ reason: "FieldValueInvalid", field: "spec.expirationSeconds", message: `Invalid value: ${seconds}: may not specify a duration larger than 2^32 seconds` });
  }
  if (spec.audiences === undefined || spec.audiences === null || (Array.isArray(spec.audiences) && spec.audiences.length === 0)) spec.audiences = [TOKEN_ISSUER];
  if (!Array.isArray(spec.audiences) || spec.audiences.some((a) => typeof a !== "string" || !a)) {
    causes.push({ reason: "FieldValueInvalid", field: "spec.audiences", message: "Invalid value: audiences must be non-empty strings" });
  }
  const ref = spec.boundObjectRef;
  let pod: { name: string; uid: string } | undefined;
  if (ref !== undefined && ref !== null) {
    if (!isPlainObject(ref) || ref.kind !== "Pod" || (ref.apiVersion !== undefined && ref.apiVersion !== "v1") || typeof ref.name !== "string" || !ref.name) {
      causes.push({ reason: "FieldValueNotSupported", field: "spec.boundObjectRef", message: "Unsupported value: only a Pod (v1) with a name can be the bound object" });
    } else if (causes.length === 0) {
      const bound = ctx.service.get(ctx.registry.lookup("", "v1", "pods")!, r.namespace, ref.name).object;
      const uid = String(bound.metadata?.uid ?? "");
      if (typeof ref.uid === "string" && ref.uid && ref.uid !== uid) {
        throw conflict({ group: "", resource: "Pod" }, ref.name,
          `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
      }
      pod = { name: ref.name, uid };
    }
  }
  // the real apiserver names the request's own metadata.name (usually empty), not the ServiceAccount
  const requestName = isPlainObject(body.metadata) && typeof body.metadata.name === "string" ? body.metadata.name : "";
  if (causes.length) throw invalid("TokenRequest", "authentication.k8s.io", requestName, causes);
  const now = Math.floor(Date.now() / 1000);
  const expiresAt = now + (seconds as number);
  const audiences = spec.audiences as string[];
  const extended = seconds === EXTENDED_REQUEST_SECONDS && pod !== undefined && audiences.length === 1 && audiences[0] === TOKEN_ISSUER;
  const token = ctx.tokens.issue({
    namespace: r.namespace, serviceAccount: { name: r.name, uid: String(sa.metadata?.uid ?? "") }, pod, audiences, issuedAt: now,
    expiresAt: extended ? now + EXTENDED_SECONDS : expiresAt, warnAfter: extended ? expiresAt : undefined,
  });
  sendJson(r.res, 201, {
    kind: "TokenRequest", apiVersion: "authentication.k8s.io/v1",
    metadata: { name: r.name, namespace: r.namespace, creationTimestamp: utc(now) },
    spec, status: { token, expirationTimestamp: utc(expiresAt) },
  });
};
