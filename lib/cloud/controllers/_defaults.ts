/**
 * Option defaults merged once: an option passed as `undefined` (a caller forwarding its own optional setting) keeps
 * the default instead of erasing it, which a plain object spread would do.
 *
 * @module
 */

/** The options with every absent or undefined field taken from `defaults`. */
export function withDefaults<D extends object, O extends object>(defaults: D, options: O): O & D {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [k, v] of Object.entries(options)) if (v !== undefined) out[k] = v;
  return out as O & D;
}
