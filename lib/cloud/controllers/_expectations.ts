/**
 * ReplicaSet "expectations": after creating or deleting pods, a ReplicaSet waits until its cache has seen those
 * changes before it counts pods again, so a lagging cache never makes it create (or delete) the same pods twice.
 * Creations are counted; deletions are tracked by pod name, so seeing a deletion twice (deletionTimestamp, then the
 * DELETED event) counts once. Expectations that are never met expire.
 *
 * @module
 */

type Entry = { adds: number; deletes: Set<string>; sinceMs: number };

/** Pending creations and deletions per controller key. */
export class Expectations {
  readonly #entries = new Map<string, Entry>();
  readonly #timeoutMs: number;

  /** @param timeoutMs how long unmet expectations block a controller before they are dropped */
  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** True when the controller may act on its cache: nothing pending, or what was pending expired. */
  satisfied(key: string, nowMs = Date.now()): boolean {
    const e = this.#entries.get(key);
    if (!e) return true;
    if ((e.adds <= 0 && e.deletes.size === 0) || nowMs - e.sinceMs > this.#timeoutMs) {
      this.#entries.delete(key);
      return true;
    }
    return false;
  }

  /** Records that `count` pods are being created. */
  expectCreations(key: string, count: number): void {
    this.#entry(key).adds += count;
  }

  /** Records pods (by name) being deleted. */
  expectDeletions(key: string, podNames: readonly string[]): void {
    const e = this.#entry(key);
    for (const n of podNames) e.deletes.add(n);
  }

  /** A pod of the controller appeared in the cache, or its creation failed. */
  creationObserved(key: string): void {
    const e = this.#entries.get(key);
    if (e && e.adds > 0) e.adds--;
  }

  /** A pod of the controller is being deleted or is gone, or its deletion failed. */
  deletionObserved(key: string, podName: string): void {
    this.#entries.get(key)?.deletes.delete(podName);
  }

  /** Forgets a controller that was deleted. */
  forget(key: string): void {
    this.#entries.delete(key);
  }

  #entry(key: string): Entry {
    let e = this.#entries.get(key);
    if (!e) this.#entries.set(key, (e = { adds: 0, deletes: new Set(), sinceMs: Date.now() }));
    else e.sinceMs = Date.now();
    return e;
  }
}
