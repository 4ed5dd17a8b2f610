/**
 * Reading and writing PEM files. Keys are written with mode 0600 and certificates 0644, each through a temporary file
 * and a rename, so a crash never leaves half a key behind.
 *
 * @module
 */
import { mkdir, open, readFile, rename, unlink } from "node:fs/promises";
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

/** Writes a PEM file atomically with `mode` (0600 for keys), creating its folder (0700) when missing. */
export async function writePemFile(path: string, text: string, mode: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  const fh = await open(tmp, "w", mode);
  try {
    await fh.writeFile(text);
    await fh.chmod(mode);
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

/** File mode of private keys. */
export const KEY_MODE = 0o600;
/** File mode of certificates. */
export const CERT_MODE = 0o644;
