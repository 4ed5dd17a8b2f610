/**
 * Reading and writing PEM files. Every file is written with mode 0600 (certificates too: they sit beside keys under a
 * dataDir, where everything is private) through a temporary file and a rename, so a crash never leaves half a key
 * behind.
 *
 * @module
 */
import { mkdir, readFile, rename, unlink } from "node:fs/promises";
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

/**
 * Writes a PEM file atomically with mode 0600, creating its folder (0700) when missing. An existing folder keeps its
 * mode: it may be one the user chose for `cloud_core cert --out`.
 */
export async function writePemFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
  const tmp = `${path}.${process.pid}.tmp`;
  const fh = await openPrivateFile(tmp, "w");
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw new Error(`Cannot write "${path}": ${(err as Error).message}`, { cause: err });
  }
}
