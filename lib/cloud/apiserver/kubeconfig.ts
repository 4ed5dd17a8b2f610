/**
 * The admin credentials of the embedded API: a bearer token kept in `<dataDir>/apiserver.token` (created on first
 * start, mode 0600), and the kubeconfig `<dataDir>/kubeconfig` that kubectl and client-node use as is.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "../../store/index.ts";
import { dirname, join } from "node:path";
import * as yaml from "js-yaml";

/** The token file's name inside dataDir. */
export const TOKEN_FILE = "apiserver.token";
/** The kubeconfig's name inside dataDir. */
export const KUBECONFIG_FILE = "kubeconfig";

function writePrivate(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: PRIVATE_FILE_MODE });
  chmodSync(tmp, PRIVATE_FILE_MODE);
  renameSync(tmp, path);
}

/** A fresh random bearer token (256 bits, URL-safe). */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * The admin token stored in dataDir, created when absent.
 *
 * @throws Error naming the file when it cannot be read or written
 */
export function loadOrCreateToken(dataDir: string): string {
  const path = join(dataDir, TOKEN_FILE);
  try {
    if (existsSync(path)) {
      const token = readFileSync(path, "utf8").trim();
      if (token) return token;
    }
    const token = newToken();
    writePrivate(path, token + "\n");
    return token;
  } catch (err) {
    throw new Error(`Cannot load the API token "${path}": ${(err as Error).message}`, { cause: err });
  }
}

/** What the kubeconfig holds. */
export type KubeconfigContent = { server: string; caPem: string; token: string; name?: string };

/** The kubeconfig text: one cluster with the CA data, one user with the token, one current context. */
export function kubeconfigYaml(c: KubeconfigContent): string {
  const name = c.name ?? "kubeedge-ts";
  return yaml.dump({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server: c.server, "certificate-authority-data": Buffer.from(c.caPem).toString("base64") } }],
    users: [{ name: `${name}-admin`, user: { token: c.token } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin`, namespace: "default" } }],
    "current-context": name,
    preferences: {},
  });
}

/**
 * Writes the kubeconfig atomically with mode 0600.
 *
 * @returns its path
 * @throws Error naming the file when it cannot be written
 */
export function writeKubeconfig(path: string, content: KubeconfigContent): string {
  try {
    writePrivate(path, kubeconfigYaml(content));
    return path;
  } catch (err) {
    throw new Error(`Cannot write kubeconfig "${path}": ${(err as Error).message}`, { cause: err });
  }
}
