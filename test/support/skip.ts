/**
 * The one way a test says it cannot run here: `skip(reason)` prints a marker line that `test/run.ts` counts as a
 * skip (not a pass) and repeats, with its reason, in its report. The test then returns on its own.
 *
 * Tools the suite promises to have in CI (kubectl, Bun, Deno, ...) go through `requireTool`: missing on a
 * developer's machine it is a skip, missing in CI (`CI=true`) it is a failure, because there the suite's own
 * set-up installs them and their absence is a bug.
 *
 * @example Skip a test when a tool is missing
 * ```ts
 * test("runs under deno", () => {
 *   const deno = requireTool("deno", denoPath());
 *   if (!deno) return;
 *   ...
 * });
 * ```
 *
 * @module
 */

/** The prefix `test/run.ts` looks for at the start of an output line. */
export const SKIP_MARKER = "[test-skip]";

/** Marks the running test as skipped with `reason`; the caller returns right after. */
export function skip(reason: string): void {
  // One line, so the runner can read it back whatever else the test prints.
  process.stdout.write(`\n${SKIP_MARKER} ${reason.replace(/\s+/g, " ").trim()}\n`);
}

/** True where the suite runs as CI (`CI=true`): there, nothing it promises may be missing. */
export function inCI(): boolean {
  return /^(1|true|yes)$/i.test(process.env.CI ?? "");
}

/**
 * Checks a tool the suite needs: returns `path` when it is there; otherwise skips (developer machine) or throws (CI).
 *
 * @param name what the tool is, for the message
 * @param path where it was found, or undefined when it was not
 * @throws Error in CI when the tool is missing
 */
export function requireTool(name: string, path: string | undefined): string | undefined {
  if (path) return path;
  const why = `${name} is not installed here`;
  if (inCI()) throw new Error(`${why}; CI must have it (the suite's set-up, cmd/prepare_host.sh or npm install, installs it)`);
  skip(why);
  return undefined;
}
