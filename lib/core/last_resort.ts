/**
 * The last line of defence of a long-running process: an exception nobody caught, or a promise rejection nobody
 * handled, is logged and the process keeps serving. Each module contains its own callbacks (see `contain`); what
 * still reaches here is a bug, so it is logged at error level with a running count, but one bad message from one
 * node must not take every other node's link down with it.
 *
 * @module
 */
import type { Logger } from "../log/index.ts";

/** Options of {@link installLastResort}. */
export type LastResortOptions = {
  log: Logger;
  /** The process to watch. @default globalThis.process */
  process?: NodeJS.Process;
};

/** Counts of what was caught, for tests and status output. */
export type LastResortCounts = { uncaught: number; unhandled: number };

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/**
 * Installs `uncaughtException` and `unhandledRejection` handlers that log and keep the process running.
 *
 * @returns the live counts and a function that removes the handlers
 */
export function installLastResort(options: LastResortOptions): { counts: LastResortCounts; remove(): void } {
  const proc = options.process ?? process;
  const counts: LastResortCounts = { uncaught: 0, unhandled: 0 };
  const onUncaught = (err: unknown) => {
    counts.uncaught++;
    options.log.error("uncaught exception, process keeps running", { error: describe(err), stack: err instanceof Error ? err.stack?.split("\n").slice(1, 4).join(" | ") : undefined, count: counts.uncaught });
  };
  const onUnhandled = (reason: unknown) => {
    counts.unhandled++;
    options.log.error("unhandled promise rejection, process keeps running", { error: describe(reason), count: counts.unhandled });
  };
  proc.on("uncaughtException", onUncaught);
  proc.on("unhandledRejection", onUnhandled);
  return {
    counts,
    remove() {
      proc.off("uncaughtException", onUncaught);
      proc.off("unhandledRejection", onUnhandled);
    },
  };
}
