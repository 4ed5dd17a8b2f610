/**
 * What one build run shares between its targets: the repository, a scratch folder, the logger, and a memo so a
 * download or bundle needed by several targets (the CJS bundle for armv7 and armv6, a sysroot) is made once.
 *
 * @module
 */
import type { Logger } from "../lib/log/index.ts";

/** The context every target's build and smoke steps get. */
export class BuildSession {
  /** Repository root (where package.json is). */
  readonly root: string;
  /** Scratch folder of this run; removed at the end. */
  readonly workDir: string;
  /** Version written into the binaries (lib/version.ts). */
  readonly version: string;
  readonly log: Logger;
  readonly #memo = new Map<string, Promise<unknown>>();

  constructor(init: { root: string; workDir: string; version: string; log: Logger }) {
    this.root = init.root;
    this.workDir = init.workDir;
    this.version = init.version;
    this.log = init.log;
  }

  /**
   * Returns the result of `make` for `key`, calling it once per run; a failure is remembered too, so every
   * target that needs the same input reports the same reason.
   */
  once<T>(key: string, make: () => Promise<T>): Promise<T> {
    let p = this.#memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = make();
      this.#memo.set(key, p);
    }
    return p;
  }
}
