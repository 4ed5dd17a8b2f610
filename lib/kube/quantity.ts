/**
 * Resource quantities as Kubernetes writes them ("100m", "1", "128Mi", "1G", "1.5", "2e3"), turned into numbers so
 * the scheduler can add pod requests and compare them with a node's allocatable resources and Edged can map limits to
 * the engine.
 *
 * @module
 */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const SHAPE = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/**
 * The value of a quantity in base units (cores for cpu, bytes for memory).
 *
 * @param text a quantity such as "250m", "1.5", "64Mi" or "1e3"; a number is taken as it is
 * @returns the value as a number
 * @throws SyntaxError when the text is not a quantity
 * @example CPU and memory
 * ```ts
 * parseQuantity("250m"); // 0.25
 * parseQuantity("64Mi"); // 67108864
 * ```
 */
export function parseQuantity(text: string | number): number {
  if (typeof text === "number") return text;
  const m = SHAPE.exec(text.trim());
  if (!m) throw new SyntaxError(`Cannot parse quantity "${text}": expected a number with an optional suffix like m, Mi or G`);
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  const suffix = m[3] ?? "";
  return base * (BINARY[suffix] ?? DECIMAL[suffix]!);
}

/** A quantity in thousandths, rounded up as Kubernetes does for millicores ("0.1" cpu -> 100). */
export function milliValue(text: string | number): number {
  return Math.ceil(Math.round(parseQuantity(text) * 1e6) / 1e3);
}
