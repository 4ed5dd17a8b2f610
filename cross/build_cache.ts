/**
 * Where the build keeps what it downloads (target runtimes from npm, Debian packages): outside the repository, so
 * a clean clone stays small and a second build runs offline.
 *
 * @module
 */
import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The build's download cache: `$KUBEEDGE_BUILD_CACHE`, else `$XDG_CACHE_HOME/kubeedge-ts-build`, else
 * `~/.cache/kubeedge-ts-build`. Created when missing.
 *
 * @param sub a folder inside the cache
 * @returns the absolute path
 */
export function buildCacheDir(...sub: string[]): string {
  const base = process.env.KUBEEDGE_BUILD_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "kubeedge-ts-build");
  const dir = join(base, ...sub);
  mkdirSync(dir, { recursive: true });
  return dir;
}
