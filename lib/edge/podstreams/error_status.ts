/**
 * The HTTP status a failed log or exec is answered with, from the engine error's stable code.
 *
 * @module
 */

const BY_CODE: Readonly<Record<string, number>> = {
  EDGED_NOT_FOUND: 404,
  RUNTIME_NOT_FOUND: 404,
  // Kubernetes answers 400 for a container that is not running.
  RUNTIME_CONFLICT: 400,
  RUNTIME_UNREACHABLE: 503,
};

/** 404 for a missing pod or container, 400 for one not running, 503 for an engine that does not answer, else 500. */
export function errorStatus(err: unknown): number {
  const code = (err as { code?: unknown })?.code;
  return typeof code === "string" && Object.hasOwn(BY_CODE, code) ? BY_CODE[code] : 500;
}
