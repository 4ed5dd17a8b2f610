/**
 * Timestamps as the controllers meet them: objects from a list come through client-node's typed models (Date),
 * objects from a watch are plain JSON (strings), so every reader goes through {@link timeMs}.
 *
 * @module
 */

/** Milliseconds since the epoch of a Date or an RFC 3339 string; undefined when absent or unreadable. */
export function timeMs(value: Date | string | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** An API Time (RFC 3339, whole seconds), as a real apiserver writes it. */
export function apiTime(ms = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
}

/** A MicroTime (RFC 3339 with six fractional digits), the format of Lease renewTime and Event eventTime. */
export function microTime(ms = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}
