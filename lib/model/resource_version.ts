/**
 * Ordering of Kubernetes resourceVersions, as carried in `header.resourceversion` of a message. Kubernetes
 * says they are opaque, but every real API server (and ours) issues increasing decimal integers, which is what
 * reliable sync relies on: compare numerically per object, and treat anything else as "cannot tell".
 *
 * @module
 */

const DECIMAL = /^\d{1,64}$/;

/**
 * Compares two resourceVersions as decimal integers of any length.
 *
 * @returns a negative number when `a` is older, 0 when equal, positive when newer; undefined when either is empty or
 *   not a decimal integer
 */
export function compareResourceVersions(a: string, b: string): number | undefined {
  if (!DECIMAL.test(a) || !DECIMAL.test(b)) return undefined;
  const x = a.replace(/^0+(?=\d)/, "");
  const y = b.replace(/^0+(?=\d)/, "");
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}
