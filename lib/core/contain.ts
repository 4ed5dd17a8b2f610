/**
 * Containment of failures in callbacks that have no caller to report to: informer handlers, timers, stream and
 * socket event handlers. A throw (or a rejected promise) there would otherwise end the process; here it becomes one
 * log line with context and the callback's owner keeps going, as the bus does for a module that throws.
 *
 * @module
 */
import type { LogContext, Logger } from "../log/index.ts";

/** What a contained failure is reported to. */
export type ContainOptions = {
  log: Logger;
  /** What the callback is for, e.g. "scheduler node update"; the log line names it. */
  what: string;
  /** More context for the log line (node, object key); never secrets. */
  context?: LogContext;
};

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Wraps a callback so that neither a throw nor a rejected promise escapes it.
 *
 * @param fn the callback
 * @param options where to log and what to call it
 * @returns a callback with the same arguments that returns nothing
 * @example Containing an informer handler
 * ```ts
 * informer.on("update", contain((node) => scheduler.onNode(node), { log, what: "scheduler node update" }));
 * ```
 */
export function contain<A extends unknown[]>(fn: (...args: A) => unknown, options: ContainOptions): (...args: A) => void {
  const report = (err: unknown) => options.log.error("callback failed, contained", { callback: options.what, ...options.context, error: describe(err) });
  return (...args: A) => {
    try {
      const out = fn(...args);
      if (out instanceof Promise) out.catch(report);
    } catch (err) {
      report(err);
    }
  };
}

/**
 * A `setInterval` whose callback is contained and which does not keep the process alive.
 *
 * @returns the timer, for `clearInterval`
 */
export function containedInterval(fn: () => unknown, periodMs: number, options: ContainOptions): ReturnType<typeof setInterval> {
  const t = setInterval(contain(fn, options), periodMs);
  t.unref?.();
  return t;
}

/**
 * A `setTimeout` whose callback is contained and which does not keep the process alive.
 *
 * @returns the timer, for `clearTimeout`
 */
export function containedTimeout(fn: () => unknown, delayMs: number, options: ContainOptions): ReturnType<typeof setTimeout> {
  const t = setTimeout(contain(fn, options), delayMs);
  t.unref?.();
  return t;
}
