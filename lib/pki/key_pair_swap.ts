/**
 * Replacing a key and its certificate as one step (a node's on renewal, cloudhub's serving pair on rotation). Two renames cannot be atomic together, so the new pair is first
 * staged whole in one file (`<key>.next`, 0600); then the key and the certificate are written from it, and the staged
 * file is removed last. A crash at any point leaves either the old pair, or the staged file that
 * {@link recoverKeyPair} finishes installing on the next start: never a key beside a certificate it does not fit.
 *
 * @module
 */
import { unlink } from "node:fs/promises";
import { readPemFile, writePemFile } from "./_pem_file.ts";

/** Where a key and its certificate live. */
export type KeyPairPaths = { cert: string; key: string };

const BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----\n?/g;

function stagedPath(paths: KeyPairPaths): string {
  return `${paths.key}.next`;
}

/** Installs a new key and certificate (PEM) in place of the old ones, crash-safe. */
export async function replaceKeyPair(paths: KeyPairPaths, pair: { key: string; cert: string }): Promise<void> {
  const staged = stagedPath(paths);
  await writePemFile(staged, `${pair.key.trim()}\n${pair.cert.trim()}\n`);
  await install(paths, pair, staged);
}

/**
 * Finishes a replacement a crash interrupted: when a staged pair exists, it is installed.
 *
 * @returns true when a staged pair was installed
 * @throws Error when the staged file holds no key and certificate (it names the file to remove)
 */
export async function recoverKeyPair(paths: KeyPairPaths): Promise<boolean> {
  const staged = stagedPath(paths);
  const text = await readPemFile(staged);
  if (text === undefined) return false;
  const blocks = [...text.matchAll(BLOCK)].map((m) => ({ type: m[1], pem: m[0] }));
  const key = blocks.find((b) => b.type.endsWith("PRIVATE KEY"))?.pem;
  const cert = blocks.find((b) => b.type === "CERTIFICATE")?.pem;
  if (!key || !cert) throw new Error(`Cannot finish certificate renewal: "${staged}" holds no key and certificate (remove it to keep the current pair)`);
  await install(paths, { key, cert }, staged);
  return true;
}

async function install(paths: KeyPairPaths, pair: { key: string; cert: string }, staged: string): Promise<void> {
  await writePemFile(paths.key, pair.key);
  await writePemFile(paths.cert, pair.cert);
  await unlink(staged).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== "ENOENT") throw new Error(`Cannot remove "${staged}": ${err.message}`, { cause: err });
  });
}
