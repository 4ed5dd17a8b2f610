/**
 * The error class of the object helpers, for conditions a request caused (a bad patch, an unsupported field
 * selector). The API server turns it into a `Status` with `status` as the HTTP code and `reason`.
 *
 * | code | status | reason | when |
 * | --- | --- | --- | --- |
 * | `FieldLabelNotSupported` | 400 | BadRequest | a field selector names a field its kind cannot be selected by |
 * | `InvalidPatch` | 400 | BadRequest | a patch document is malformed (not a list of operations, unknown `$patch`, a missing merge key) |
 * | `PatchFailed` | 422 | Invalid | a well-formed JSON patch cannot be applied (missing path, failed `test`) |
 * | `ApplyConflict` | 409 | Conflict | server-side apply would change fields another manager owns (`causes` name them) |
 *
 * Text that cannot be parsed at all (a label or field selector) throws the built-in `SyntaxError`, and a wrong shape
 * `TypeError`; the server answers both with 400 as well.
 *
 * @module
 */

/** Stable codes of {@link KubeError}. */
export type KubeErrorCode = "FieldLabelNotSupported" | "InvalidPatch" | "PatchFailed" | "ApplyConflict";

const WIRE: Record<KubeErrorCode, { status: number; reason: string }> = {
  FieldLabelNotSupported: { status: 400, reason: "BadRequest" },
  InvalidPatch: { status: 400, reason: "BadRequest" },
  PatchFailed: { status: 422, reason: "Invalid" },
  ApplyConflict: { status: 409, reason: "Conflict" },
};

/** One field of a failed request, as a Status `details.causes` entry carries it. */
export type KubeErrorCause = { reason: string; message: string; field: string };

/** A request-caused failure of an object helper, with its HTTP status and Kubernetes `reason`. */
export class KubeError extends Error {
  /** Stable code, see the module table. */
  readonly code: KubeErrorCode;
  /** HTTP status the API server answers with. */
  readonly status: number;
  /** The `reason` of the Kubernetes `Status` body. */
  readonly reason: string;
  /** The fields at fault, for `details.causes` (apply conflicts). */
  readonly causes?: KubeErrorCause[];

  /**
   * @param code what went wrong
   * @param message the text kubectl prints after `Error from server (<reason>): `
   * @param options `cause` to wrap, `causes` for the Status details
   */
  constructor(code: KubeErrorCode, message: string, options?: ErrorOptions & { causes?: KubeErrorCause[] }) {
    super(message, options);
    if (options?.causes) this.causes = options.causes;
    this.name = "KubeError";
    this.code = code;
    this.status = WIRE[code].status;
    this.reason = WIRE[code].reason;
  }
}
