/**
 * Loads @peculiar/x509 with WebCrypto. The library (through tsyringe) needs the Reflect metadata API at import time;
 * rather than pull in a polyfill package, {@link loadX509} installs the small part tsyringe calls, then imports it.
 *
 * @module
 */
import type * as X509 from "@peculiar/x509";

/** The @peculiar/x509 namespace. */
export type X509Lib = typeof X509;

/**
 * Imports @peculiar/x509 with `globalThis.crypto` as its provider. The import is dynamic so the Reflect API is in
 * place first; the runtime caches the module, so calling this again is cheap.
 */
export async function loadX509(): Promise<X509Lib> {
  installReflectMetadata();
  const x509 = await import("@peculiar/x509");
  x509.cryptoProvider.set(globalThis.crypto);
  return x509;
}

/** Adds `Reflect.getMetadata` and friends (kept per target in WeakMaps) when no polyfill is present. */
function installReflectMetadata(): void {
  const r = Reflect as unknown as Record<string, unknown>;
  if (typeof r.getMetadata === "function") return;
  const store = new WeakMap<object, Map<unknown, unknown>>();
  const define = (key: unknown, value: unknown, target: object) => {
    let m = store.get(target);
    if (!m) store.set(target, (m = new Map()));
    m.set(key, value);
  };
  r.defineMetadata = define;
  r.getOwnMetadata = (key: unknown, target: object) => store.get(target)?.get(key);
  r.getMetadata = (key: unknown, target: object) => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
      const m = store.get(t);
      if (m?.has(key)) return m.get(key);
    }
    return undefined;
  };
  r.metadata = (key: unknown, value: unknown) => (target: object) => define(key, value, target);
}
