/**
 * Kubernetes resource quantities (`500m`, `128Mi`, `1.5`, `1e3`, `2G`) as numbers.
 *
 * @module
 */

const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/**
 * Parses a quantity.
 *
 * @returns the value in base units (cores for cpu, bytes for memory)
 * @throws SyntaxError when the text is not a quantity
 */
export function parseQuantity(q: string | number): number {
  if (typeof q === "number") return q;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]?)$/.exec(q.trim());
  if (!m) throw new SyntaxError(`Cannot parse quantity: "${q}" is not a number with an optional suffix`);
  return Number(m[1]) * SUFFIX[m[2]];
}
