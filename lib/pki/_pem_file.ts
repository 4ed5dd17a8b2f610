/**
 * Reading and writing PEM files. Every file is written with mode 0600 (certificates too: they sit beside keys under a
 * dataDir, where everything is private) through a temporary file and a rename, so a crash never leaves half a key
 * behind.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { openPrivateFile, PRIVATE_DIR_MODE } from "../store/index.ts";

/** Reads a PEM file. @returns undefined when the file does not exist */
export async function readPemFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`Cannot read "${path}": ${(err as Error).message}`, { cause: err });
  }
}

/** Writes `text` to a new temporary file (0600) beside `path` (folder created 0700), synced; returns its name. */
async function writeTemp(path: string, text: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
  // pid and random part: two processes, or two calls in one process, never share a temporary file
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const fh = await openPrivateFile(tmp, "wx");
  try {
    await fh.writeFile(text);
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
export async function createPemFileExclusive(path: string, text: string): Promise<boolean> {
  const tmp = await writeTemp(path, text);
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

/**
 * Writes a PEM file atomically with mode 0600, creating its folder (0700) when missing. An existing folder keeps its
 * mode: it may be one the user chose for `cloud_core cert --out`.
 */
export async function writePemFile(path: string, text: string): Promise<void> {
  const tmp = await writeTemp(path, text);
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw new Error(`Cannot write "${path}": ${(err as Error).message}`, { cause: err });
  }
}
