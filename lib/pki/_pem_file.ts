/**
 * Reading and writing PEM files. Keys are written with mode 0600 and certificates 0644, each through a temporary file
 * and a rename, so a crash never leaves half a key behind.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { link, mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";

/** Reads a PEM file. @returns undefined when the file does not exist */
export async function readPemFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`Cannot read "${path}": ${(err as Error).message}`, { cause: err });
  }
}

/** Writes `text` to a new temporary file beside `path` (folder created 0700), synced; returns its name. */
async function writeTemp(path: string, text: string, mode: number): Promise<string> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  // pid and random part: two processes, or two calls in one process, never share a temporary file
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const fh = await open(tmp, "wx", mode);
  try {
    await fh.writeFile(text);
    await fh.chmod(mode);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return tmp;
}

/**
 * Writes a PEM file only if `path` does not exist yet, atomically: the complete file appears under `path` by a hard
 * link, which fails when the name is taken. Of processes racing to create the same file exactly one wins.
 *
 * @returns true when this call created the file, false when it existed (the existing file is left as it is)
 */
export async function createPemFileExclusive(path: string, text: string, mode: number): Promise<boolean> {
  const tmp = await writeTemp(path, text, mode);
  try {
    await link(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new Error(`Cannot write "${path}": ${(err as Error).message}`, { cause: err });
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

/** Writes a PEM file atomically with `mode` (0600 for keys), creating its folder (0700) when missing. */
export async function writePemFile(path: string, text: string, mode: number): Promise<void> {
  const tmp = await writeTemp(path, text, mode);
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw new Error(`Cannot write "${path}": ${(err as Error).message}`, { cause: err });
  }
}

/** File mode of private keys. */
export const KEY_MODE = 0o600;
/** File mode of certificates. */
export const CERT_MODE = 0o644;
