/**
 * Temporary directories for durable-store tests, and crash copies: a copy of a live store's files is exactly what
 * a kill -9 at that instant would leave on disk (every acknowledged write has reached the file).
 *
 * @module
 */
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "../../lib/log/index.ts";

/** Quiet store options for tests; fsync stays on, as in production. */
export const quiet = { log: silentLogger };

/** A fresh temporary directory and its removal. */
export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "store-test-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Copies `dir` as a crash would leave it, into a new temporary directory. */
export function crashCopy(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), "store-crash-"));
  cpSync(dir, copy, { recursive: true });
  return copy;
}

/**
 * Name to size of every file in `dir`. A file removed between the listing and its stat (the store retires old
 * journals in the background after a snapshot) is left out: it is no longer there.
 */
export function sizes(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of readdirSync(dir)) {
    const st = statSync(join(dir, f), { throwIfNoEntry: false });
    if (st) out[f] = st.size;
  }
  return out;
}
