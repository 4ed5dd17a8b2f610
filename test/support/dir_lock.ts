/**
 * A lock between test processes: a directory made with `mkdir` (atomic), holding the holder's pid so a lock left by
 * a killed process is taken over. Shared engines of a test run (the Docker engine, the real control plane) change
 * their state only while holding it.
 *
 * @module
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Runs `fn` while holding the lock directory `path`; waits up to `timeoutMs` for another holder. */
export async function withDirLock<T>(path: string, fn: () => Promise<T>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(path);
      writeFileSync(join(path, "pid"), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    let holder = NaN;
    try { holder = Number(readFileSync(join(path, "pid"), "utf8")); } catch { /* being written or removed */ }
    if (Number.isFinite(holder) && holder > 0 && !pidAlive(holder)) rmSync(path, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error(`Cannot lock "${path}": held by pid ${holder} for ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    return await fn();
  } finally {
    rmSync(path, { recursive: true, force: true });
  }
}

/** True while process `pid` exists. */
export function pidAlive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
