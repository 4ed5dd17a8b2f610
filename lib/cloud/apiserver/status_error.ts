/**
 * Failures the API answers with a `v1 Status` body, shaped so kubectl prints them like a real cluster's:
 * `Error from server (<reason>): <message>`, and for 422 a text rebuilt from
 * `details.kind`, `details.name` and `details.causes`.
 *
 * @module
 */

/** One entry of `details.causes`. */
export type StatusCause = { reason?: string; message: string; field?: string };

/** The `details` of a Status: which object, of which group and kind (the resource name, e.g. "pods"). */
export type StatusDetails = {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
};

/** A `meta/v1 Status` as it goes on the wire. */
export type StatusBody = {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure" | "Success";
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
};

/** What a failed request is about, for the messages and `details`. */
export type Target = { group: string; resource: string; name?: string };

/** A request failure with its HTTP status; {@link StatusError.toStatus} renders the wire form. */
export class StatusError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details?: StatusDetails;

  /**
   * @param code HTTP status
   * @param reason the Kubernetes StatusReason, e.g. "NotFound"
   * @param message the text kubectl prints
   * @param details the object the failure is about
   */
  constructor(code: number, reason: string, message: string, details?: StatusDetails, options?: ErrorOptions) {
    super(message, options);
    this.name = "StatusError";
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  /** The `v1 Status` body of this failure. */
  toStatus(): StatusBody {
    const body: StatusBody = {
      kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: this.message, reason: this.reason, code: this.code,
    };
    if (this.details) body.details = this.details;
    return body;
  }
}

/** `pods` or `deployments.apps`: how real messages name a resource. */
export function qualifiedResource(t: Target): string {
  return t.group ? `${t.resource}.${t.group}` : t.resource;
}

function details(t: Target, name = t.name): StatusDetails {
  const d: StatusDetails = { kind: t.resource };
  if (name !== undefined) d.name = name;
  if (t.group) d.group = t.group;
  return d;
}

/** 404: `pods "nope" not found`. */
export function notFound(t: Target, name = t.name ?? ""): StatusError {
  return new StatusError(404, "NotFound", `${qualifiedResource(t)} "${name}" not found`, details(t, name));
}

/** 409 AlreadyExists: `pods "nginx" already exists`. */
export function alreadyExists(t: Target, name: string): StatusError {
  return new StatusError(409, "AlreadyExists", `${qualifiedResource(t)} "${name}" already exists`, details(t, name));
}

/** 409 Conflict with the text kubectl users know from optimistic concurrency. */
export function conflict(t: Target, name: string, why = "the object has been modified; please apply your changes to the latest version and try again"): StatusError {
  return new StatusError(409, "Conflict", `Operation cannot be fulfilled on ${qualifiedResource(t)} "${name}": ${why}`, details(t, name));
}

/**
 * 422 Invalid: `Deployment.apps "web" is invalid: <field>: <message>` (the kind qualified by its group, the causes
 * bracketed when more than one); kubectl rebuilds `The <Kind> "<name>" is invalid: ...` from the causes.
 */
export function invalid(kind: string, group: string, name: string, causes: StatusCause[]): StatusError {
  const joined = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join(", ");
  // The real apiserver brackets the list when there is more than one cause.
  const text = causes.length > 1 ? `[${joined}]` : joined;
  const d: StatusDetails = name ? { name, kind, causes } : { kind, causes };
  if (group) d.group = group;
  return new StatusError(422, "Invalid", `${group ? `${kind}.${group}` : kind} "${name}" is invalid: ${text}`, d);
}

/** 400 BadRequest with a free text. */
export function badRequest(message: string): StatusError {
  return new StatusError(400, "BadRequest", message);
}

/** 405 MethodNotAllowed. */
export function methodNotAllowed(method: string, what: string): StatusError {
  return new StatusError(405, "MethodNotAllowed", `the server does not allow this method on the requested resource (${method.toLowerCase()} ${what})`);
}

/** 415 UnsupportedMediaType, naming what would have been accepted. */
export function unsupportedMediaType(contentType: string, accepted: readonly string[]): StatusError {
  return new StatusError(
    415, "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}` +
      (contentType ? ` (got "${contentType}")` : ""),
  );
}

/** 401 Unauthorized, for requests without valid credentials. */
export function unauthorized(): StatusError {
  return new StatusError(401, "Unauthorized", "Unauthorized");
}

/** 410 Expired: the watch history no longer reaches back to the requested resourceVersion. */
export function expired(requested: number, oldest: number): StatusError {
  return new StatusError(410, "Expired", `too old resource version: ${requested} (${oldest})`);
}

/** 500 InternalError wrapping an unexpected failure; the message names the operation, never secrets. */
export function internalError(message: string, cause?: unknown): StatusError {
  return new StatusError(500, "InternalError", `Internal error occurred: ${message}`, undefined, { cause });
}

/** 503 ServiceUnavailable, e.g. when no edge link serves a pod's logs. */
export function serviceUnavailable(message: string): StatusError {
  return new StatusError(503, "ServiceUnavailable", message);
}

/** 403 Forbidden, e.g. creating in a namespace that is being deleted. */
export function forbidden(message: string): StatusError {
  return new StatusError(403, "Forbidden", message);
}
