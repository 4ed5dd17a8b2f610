/**
 * The node certificate files, read at start and again before every dial, so a certificate renewed while the link is
 * up is used by the next connection without a restart.
 *
 * @module
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { recoverKeyPair } from "../../pki/index.ts";

/** PEM contents of the CA certificate, the node certificate and its key. */
export type LinkTls = { ca: string; cert: string; key: string };

/**
 * Reads the three files, first finishing a renewal a crash interrupted, and checks the certificate is for `nodeName`
 * and fits the key. A pair read while a renewal replaces it may not fit: that renewal is finished and the files read
 * once more.
 *
 * @throws Error naming the file that is missing, the node the certificate is for, or the key that does not fit
 */
export async function readLinkTls(paths: LinkTls, nodeName: string): Promise<LinkTls> {
  await recoverKeyPair(paths);
  const tls = await readOnce(paths, nodeName);
  if (fits(tls)) return tls;
  await recoverKeyPair(paths);
  const again = await readOnce(paths, nodeName);
  if (!fits(again)) throw new Error(`Cannot use node key "${paths.key}": it does not belong to certificate "${paths.cert}"`);
  return again;
}

function fits(tls: LinkTls): boolean {
  try {
    return new X509Certificate(tls.cert).checkPrivateKey(createPrivateKey(tls.key));
  } catch {
    return false;
  }
}

async function readOnce(paths: LinkTls, nodeName: string): Promise<LinkTls> {
  const read = async (path: string, what: string) => {
    try {
      return await readFile(path, "utf8");
    } catch (err) {
      throw new Error(`Cannot read ${what} "${path}": ${(err as NodeJS.ErrnoException).code ?? err} (issue one with: cloud_core cert --node ${nodeName} --out DIR)`, { cause: err });
    }
  };
  const tls = { ca: await read(paths.ca, "CA certificate"), cert: await read(paths.cert, "node certificate"), key: await read(paths.key, "node key") };
  let subject;
  try {
    subject = new X509Certificate(tls.cert).subject;
  } catch (cause) {
    throw new Error(`Cannot use node certificate "${paths.cert}": not a PEM certificate`, { cause });
  }
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(subject)?.[1];
  if (cn !== nodeName) throw new Error(`Cannot use node certificate "${paths.cert}": it is for node "${cn}", not "${nodeName}"`);
  return tls;
}
