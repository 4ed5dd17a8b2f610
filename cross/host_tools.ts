/**
 * The host programs a target needs (qemu, strip, patchelf, APT), checked before the target starts. When one is
 * missing and the build runs as root, its Debian package is installed with apt-get, so a fresh machine builds
 * every target with no manual step; otherwise the target fails naming the package to install.
 *
 * @module
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { runCommand } from "./run_command.ts";

/** The Debian package that provides each host program the build calls. */
export const HOST_TOOL_PACKAGES: Record<string, string> = {
  "qemu-aarch64-static": "qemu-user-static",
  "qemu-arm-static": "qemu-user-static",
  "arm-linux-gnueabihf-strip": "binutils-arm-linux-gnueabihf",
  "arm-linux-gnueabihf-readelf": "binutils-arm-linux-gnueabihf",
  patchelf: "patchelf",
  "apt-get": "apt",
  "dpkg-deb": "dpkg",
  ldd: "libc-bin",
  npm: "npm",
};

/** True when `command` is an executable on PATH. */
export function onPath(command: string): boolean {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

/**
 * Makes sure every command in `tools` is on PATH, installing the missing ones' packages when running as root.
 *
 * @param tools host commands, each a key of {@link HOST_TOOL_PACKAGES}
 * @returns the packages that were installed
 * @throws Error naming the missing commands and their packages when they cannot be installed
 */
export async function ensureHostTools(tools: string[]): Promise<string[]> {
  const missing = tools.filter((t) => !onPath(t));
  if (missing.length === 0) return [];
  const packages = [...new Set(missing.map((t) => HOST_TOOL_PACKAGES[t] ?? t))];
  const hint = `missing ${missing.join(", ")}: apt-get install ${packages.join(" ")}`;
  if (process.getuid?.() !== 0 || !onPath("apt-get")) throw new Error(`Cannot find host tools: ${hint}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  try {
    await runCommand("apt-get", ["update", "-q"], { env, timeoutMs: 600_000 });
    await runCommand("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...packages], { env, timeoutMs: 900_000 });
  } catch (e) {
    throw new Error(`Cannot install host tools (${hint}): ${(e as Error).message}`, { cause: e });
  }
  const still = missing.filter((t) => !onPath(t));
  if (still.length) throw new Error(`Cannot find host tools after installing ${packages.join(" ")}: ${still.join(", ")}`);
  return packages;
}
