/**
 * Edged's one error class.
 *
 * | code | meaning |
 * | --- | --- |
 * | `EDGED_NOT_FOUND` | no such pod or container on this node (logs, exec), or a referenced ConfigMap/Secret/key is missing |
 * | `EDGED_CONFIG` | a container cannot be configured: bad quantity, unsupported volume, ambiguous container |
 *
 * @module
 */

/** Stable codes of {@link EdgedError}. */
export type EdgedErrorCode = "EDGED_NOT_FOUND" | "EDGED_CONFIG";

/** An error raised by Edged. */
export class EdgedError extends Error {
  readonly code: EdgedErrorCode;
  constructor(code: EdgedErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "EdgedError";
    this.code = code;
  }
}
