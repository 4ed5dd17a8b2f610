/**
 * The wait between two passes of a reconcile loop: until woken (something happened), until the earliest time a pass
 * asked for, or at most a resync interval.
 *
 * @module
 */

/** A wake-up point for one loop. */
export class Wakeup {
  #dirty = true;
  #atMs = 0;
  #wake: (() => void) | undefined;

  /** Asks for a pass now (or right after the one running). */
  wake(): void {
    this.#dirty = true;
    this.#wake?.();
  }

  /** Asks for a pass within `ms`; the earliest request wins. */
  soon(ms: number): void {
    const at = Date.now() + ms;
    if (!this.#atMs || at < this.#atMs) this.#atMs = at;
  }

  /** Waits for a reason to run a pass, at most `maxMs`; returns at once when woken since the last wait. */
  async wait(maxMs: number): Promise<void> {
    if (!this.#dirty) {
      const ms = Math.max(0, (this.#atMs || Date.now() + maxMs) - Date.now());
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, ms);
        t.unref?.();
        const self = this;
        function done() {
          clearTimeout(t);
          self.#wake = undefined;
          resolve();
        }
        this.#wake = done;
      });
    }
    this.#dirty = false;
    this.#atMs = 0;
  }
}
