/**
 * The container runtime's one error class.
 *
 * | code | meaning |
 * | --- | --- |
 * | `RUNTIME_UNREACHABLE` | the engine's socket does not answer (engine down, wrong path) |
 * | `RUNTIME_NOT_FOUND` | no such container, exec or image (HTTP 404) |
 * | `RUNTIME_CONFLICT` | the request conflicts with the object's state, e.g. exec in a stopped container (HTTP 409) |
 * | `RUNTIME_PULL` | an image could not be pulled; the message carries the registry's error |
 * | `RUNTIME_REQUEST` | any other refusal by the engine; the message carries its text |
 *
 * @module
 */

/** Stable codes of {@link RuntimeError}. */
export type RuntimeErrorCode = "RUNTIME_UNREACHABLE" | "RUNTIME_NOT_FOUND" | "RUNTIME_CONFLICT" | "RUNTIME_PULL" | "RUNTIME_REQUEST";

/** An error raised by a container runtime. `status` is the engine's HTTP status when it answered. */
export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode;
  readonly status: number;
  constructor(code: RuntimeErrorCode, message: string, options?: ErrorOptions & { status?: number }) {
    super(message, options);
    this.name = "RuntimeError";
    this.code = code;
    this.status = options?.status ?? 0;
  }
}
