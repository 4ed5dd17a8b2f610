/**
 * Writes a set of files into a directory so that a reader (a container with the directory bind-mounted) sees either
 * the old set or the new set, never a mix: the files live in a hidden `..<hash>` folder, `..data` is a symlink to
 * it, and each visible name is a symlink through `..data`. An update writes a new folder and swaps `..data` with one
 * rename. Writing the same content again touches nothing.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { chmod, mkdir, readdir, readlink, rename, rm, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/** One file: bytes and permission bits. */
export type FileContent = { data: Uint8Array; mode: number };

const DATA_LINK = "..data";

/**
 * Makes `dir` hold exactly `files` (relative paths, may contain `/`).
 *
 * @returns true when something changed
 * @throws Error when a path escapes the directory or the file system refuses
 */
export async function writeAtomicDir(dir: string, files: ReadonlyMap<string, FileContent>): Promise<boolean> {
  for (const p of files.keys()) {
    if (p === "" || p.startsWith("/") || p.split("/").some((s) => s === ".." || s === "" || s.startsWith(".."))) {
      throw new Error(`Cannot write "${p}" into "${dir}": path must be relative and must not contain ".."`);
    }
  }
  const hash = contentHash(files);
  const target = `..${hash}`;
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const current = await readlink(join(dir, DATA_LINK)).catch(() => undefined);
  if (current === target) return false;

  const staging = join(dir, `${target}.tmp`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true, mode: 0o755 });
  for (const [p, f] of files) {
    const full = join(staging, p);
    await mkdir(dirname(full), { recursive: true, mode: 0o755 });
    await writeFile(full, f.data);
    // chmod after writing: the process umask must not narrow the requested mode
    await chmod(full, f.mode);
  }
  await rm(join(dir, target), { recursive: true, force: true });
  await rename(staging, join(dir, target));
  const tmpLink = join(dir, `${DATA_LINK}.tmp`);
  await rm(tmpLink, { force: true });
  await symlink(target, tmpLink);
  await rename(tmpLink, join(dir, DATA_LINK));

  const visible = new Set([...files.keys()].map((p) => p.split("/")[0]));
  for (const name of await readdir(dir)) {
    if (name.startsWith("..")) {
      if (name !== target && name !== DATA_LINK) await rm(join(dir, name), { recursive: true, force: true });
    } else if (!visible.has(name)) {
      await rm(join(dir, name), { recursive: true, force: true });
    }
  }
  for (const name of visible) {
    const link = join(dir, name);
    if ((await readlink(link).catch(() => undefined)) !== join(DATA_LINK, name)) {
      await rm(link, { recursive: true, force: true });
      await symlink(join(DATA_LINK, name), link);
    }
  }
  return true;
}

function contentHash(files: ReadonlyMap<string, FileContent>): string {
  const h = createHash("sha256");
  for (const p of [...files.keys()].sort()) {
    const f = files.get(p)!;
    h.update(`${p}\0${f.mode}\0${f.data.length}\0`);
    h.update(f.data);
  }
  return h.digest("hex").slice(0, 20);
}
