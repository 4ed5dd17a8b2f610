/**
 * The one way a build target says "cannot be built on this machine, and that is not a bug": its runtime comes from
 * a source this machine cannot download it from. build.ts reports such a target as *unavailable* (not *failed*),
 * builds the others, and does not let it fail the run; the join tests turn it into a skip with the same reason.
 *
 * @module
 */

/** Thrown by a target whose runtime cannot be downloaded from any source reachable here; the message is one line. */
export class TargetUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TargetUnavailableError";
  }
}

/** The word build.ts's summary puts before an unavailable target's reason. */
export const UNAVAILABLE_MARK = "UNAVAILABLE:";

/**
 * Reads back, from build.ts's summary table, why `name` (e.g. `edge_core-linux-armv6`) was unavailable.
 *
 * @returns the one-line reason, or undefined when the summary does not list `name` as unavailable
 */
export function unavailableReason(summary: string, name: string): string | undefined {
  for (const line of summary.split("\n")) {
    const [first] = line.split(/\s+/, 1);
    if (first !== name) continue;
    const at = line.indexOf(` ${UNAVAILABLE_MARK} `);
    if (at >= 0) return line.slice(at + UNAVAILABLE_MARK.length + 2).trim();
  }
  return undefined;
}
