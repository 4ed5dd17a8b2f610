/**
 * armv6: a Node runtime that needs nothing on the device but the kernel. Nothing on npm runs on armv6 and Bun and
 * Deno have no 32-bit ARM, so it is Debian trixie's armel `nodejs` (a stub over a shared libnode) with its own
 * glibc and every library it loads, made relocatable:
 * - the node stub's ELF interpreter becomes `/proc/self/fd/9/lib/ld-linux.so.3`, and the launcher opens the runtime
 *   folder as fd 9 before exec, so the folder can live anywhere without a fixed install path;
 * - each object gets `$ORIGIN` search paths, so libraries are found beside each other;
 * - Debian loads some of Node's bundled JavaScript (undici's fetch, acorn, cjs-module-lexer, minimatch) from
 *   `/usr/share/nodejs/…`; those paths inside libnode are rewritten to the same-length `/proc/self/fd/9/s/…`.
 *
 * @module
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { runCommand } from "../run_command.ts";

/** File descriptor the launcher opens on the runtime folder; it appears in the interpreter and builtin paths. */
export const RUNTIME_FD = 9;
const DEBIAN_SHARE = "/usr/share/nodejs/";
const FD_SHARE = `/proc/self/fd/${RUNTIME_FD}/s/`;
const INTERPRETER = `/proc/self/fd/${RUNTIME_FD}/lib/ld-linux.so.3`;
const LIB_DIRS = ["usr/lib/arm-linux-gnueabi", "lib/arm-linux-gnueabi", "usr/lib", "lib"];

/** What was assembled. */
export type NodeRuntime = { dir: string; node: string; libs: string[]; builtins: string[] };

async function needed(file: string): Promise<string[]> {
  const { stdout } = await runCommand("arm-linux-gnueabihf-readelf", ["-d", file]);
  return [...stdout.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
}

function findLib(root: string, soname: string): string {
  for (const d of LIB_DIRS) {
    const p = join(root, d, soname);
    if (existsSync(p)) return realpathSync(p);
  }
  throw new Error(`Cannot find library "${soname}" in the Debian root "${root}"`);
}

function rewriteSharePaths(libnode: string): string[] {
  const bytes = readFileSync(libnode);
  const from = Buffer.from(DEBIAN_SHARE);
  const to = Buffer.from(FD_SHARE);
  if (from.length !== to.length) throw new Error(`Cannot rewrite "${DEBIAN_SHARE}": replacement length differs`);
  const paths = new Set<string>();
  for (let i = bytes.indexOf(from); i >= 0; i = bytes.indexOf(from, i + 1)) {
    let end = i;
    while (end < bytes.length && bytes[end] !== 0 && bytes[end] !== 0x22 && bytes[end] !== 0x20) end++;
    paths.add(bytes.subarray(i + from.length, end).toString("latin1"));
    to.copy(bytes, i);
  }
  writeFileSync(libnode, bytes);
  return [...paths].sort();
}

/**
 * Copies the node stub, its library closure and the JavaScript it loads from `/usr/share/nodejs` out of an unpacked
 * Debian root into `outDir` (`bin/node`, `lib/*`, `s/*`), and patches them to run from any folder opened as fd 9.
 *
 * @param debianRoot folder holding trixie armel `nodejs` and its dependencies, unpacked
 * @param outDir empty folder to fill
 * @returns the runtime's layout
 * @throws Error when a library is missing; CommandError when patchelf or readelf fail
 */
export async function assembleNodeRuntime(debianRoot: string, outDir: string): Promise<NodeRuntime> {
  const libDir = join(outDir, "lib");
  mkdirSync(libDir, { recursive: true });
  mkdirSync(join(outDir, "bin"), { recursive: true });
  const node = join(outDir, "bin/node");
  copyFileSync(realpathSync(join(debianRoot, "usr/bin/node")), node);
  const libs = new Set<string>();
  const queue = await needed(node);
  while (queue.length) {
    const soname = queue.shift()!;
    if (libs.has(soname)) continue;
    libs.add(soname);
    const dest = join(libDir, soname);
    copyFileSync(findLib(debianRoot, soname), dest);
    chmodSync(dest, 0o755);
    queue.push(...(await needed(dest)));
  }
  if (!libs.has("ld-linux.so.3")) copyFileSync(findLib(debianRoot, "ld-linux.so.3"), join(libDir, "ld-linux.so.3"));
  await runCommand("patchelf", ["--set-interpreter", INTERPRETER, "--force-rpath", "--set-rpath", "$ORIGIN/../lib", node]);
  for (const soname of libs) {
    if (soname.startsWith("ld-linux")) continue;
    await runCommand("patchelf", ["--force-rpath", "--set-rpath", "$ORIGIN", join(libDir, soname)]);
  }
  const libnode = [...libs].find((l) => l.startsWith("libnode.so"));
  if (!libnode) throw new Error(`Cannot find libnode among the libraries of "${node}"`);
  const builtins = rewriteSharePaths(join(libDir, libnode));
  for (const rel of builtins) {
    const dest = join(outDir, "s", rel);
    mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(realpathSync(join(debianRoot, DEBIAN_SHARE, rel)), dest);
  }
  return { dir: outDir, node, libs: [...libs].sort(), builtins };
}
