/**
 * The list as cloudhub consults it: the entries last read from the ConfigMap, and the one rule of what a revocation
 * refuses. Kept current by the revocation module's watch; read on every link upgrade, so lookups are O(1).
 *
 * @module
 */
import type { RevocationEntry, Revocations } from "./types.ts";

/** The current revocations and the refusal rule. */
export class RevocationView {
  #entries: Revocations = new Map();

  /**
   * Takes a new list.
   *
   * @returns the nodes revoked anew or again (whose links cloudhub must check now)
   */
  replace(entries: Revocations): string[] {
    const changed = [...entries].filter(([node, e]) => this.#entries.get(node)?.revokedAtMs !== e.revokedAtMs).map(([node]) => node);
    this.#entries = entries;
    return changed;
  }

  /** The entry of `node`, if revoked. */
  get(node: string): RevocationEntry | undefined {
    return this.#entries.get(node);
  }

  /** Names of the revoked nodes. */
  nodes(): string[] {
    return [...this.#entries.keys()];
  }

  /** Number of revoked nodes. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Whether a certificate for `node` issued at `issuedAtMs` is refused: it was issued at or before the node's
   * revocation. `issuedAtMs` is the earliest the certificate can have been issued (`issuedAtMs()` of lib/pki), so a
   * certificate issued within a second after a revocation may be refused too, never one issued before it let through.
   *
   * @param issuedAtMs when the certificate was issued, at the earliest, in ms since the epoch
   */
  refuses(node: string, issuedAtMs: number): boolean {
    const e = this.#entries.get(node);
    if (!e) return false;
    // a certificate without readable times cannot show it is newer than the revocation
    if (!Number.isFinite(issuedAtMs)) return true;
    return issuedAtMs <= e.revokedAtMs;
  }
}
