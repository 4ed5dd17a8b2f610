/**
 * `maxSurge` / `maxUnavailable` of a rolling update: an integer or a percentage of the desired replicas.
 *
 * @module
 */

/**
 * Resolves an int-or-percent against a total.
 *
 * @param roundUp percentages round up (maxSurge) or down (maxUnavailable)
 * @throws RangeError when the value is neither an integer nor "<n>%"
 */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean, fallback = "25%"): number {
  const v = value ?? fallback;
  if (typeof v === "number") return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) {
    if (/^\d+$/.test(v)) return Number(v);
    throw new RangeError(`Cannot resolve "${v}": expected an integer or a percentage like "25%"`);
  }
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/**
 * The surge and unavailability a rolling update may use. Both zero would deadlock the rollout, so
 * maxUnavailable becomes 1 then (and never exceeds the replica count).
 */
export function rollingBounds(replicas: number, maxSurge: number | string | undefined, maxUnavailable: number | string | undefined): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, replicas, true);
  let unavailable = scaledValue(maxUnavailable, replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable: Math.min(unavailable, replicas) };
}
