/**
 * `edge_core join`: turns a device into an edge node with one command. It learns the cloud's CA and checks it
 * against the token's pin, makes its own key (which never leaves the device), trades the token and a CSR for a node
 * certificate, writes `ca.crt`, `node.crt`, `node.key` under `<dataDir>/certs` (0600 in 0700 folders) and an
 * edge.yaml that uses them, and with `--start` goes on to run edge_core.
 *
 * An existing edge.yaml is kept as the base: its settings stay, and nodeName, dataDir, edgeHub.server and
 * edgeHub.tls are set (YAML comments are not kept).
 *
 * @module
 */
import { X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, join, resolve } from "node:path";
import * as yaml from "js-yaml";
import { edgeSchema, isNodeName, NODE_NAME_EXPECTED, parseConfig, resolveEdgeConfig, withConfigFile } from "../config/index.ts";
import type { LogLevel } from "../log/index.ts";
import { createNodeCsr, JoinTokenFormatError, NODE_CERT_FILES, parseJoinToken, writeNodeCertificate } from "../pki/index.ts";
import { ensurePrivateDir, openPrivateFile, PRIVATE_DIR_MODE } from "../store/index.ts";
import { startEdgeFromFile } from "./edge_start.ts";
import { type CloudAddress, fetchPinnedCa, requestNodeCertificate } from "./join_client.ts";
import { CommandError, type Stoppable, UsageError } from "./run_main.ts";

/** Flags of `edge_core join`. */
export type JoinFlags = { cloud?: string; token?: string; node?: string; config?: string; dataDir?: string; force?: boolean; start?: boolean };

/** dataDir when neither --data-dir nor an existing edge.yaml names one (the schema's default). */
const DEFAULT_DATA_DIR = "/var/lib/kubeedge-ts/edge";

function parseCloud(text: string | undefined): CloudAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s/]+)):(\d{1,5})$/.exec(text ?? "");
  const port = Number(m?.[3]);
  if (!m || port < 1 || port > 65535) throw new UsageError(`--cloud: expected HOST:PORT of cloudhub, got ${JSON.stringify(String(text ?? "").slice(0, 80))}`);
  return { host: m[1] ?? m[2], port };
}

/** The edge.yaml as written (unvalidated), or an empty one. @throws CommandError when it cannot be read */
function readBase(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  let v: unknown;
  try {
    v = yaml.load(readFileSync(file, "utf8"));
  } catch (e) {
    throw new CommandError(`cannot read ${file}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
  }
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Runs a file step; a failure becomes one line naming `what` and the cause (EACCES when not root, ENOSPC...). */
async function asCommandError<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new CommandError(`${what}: ${err.code ?? err.message}`);
  }
}

/** Checks the certificate the cloud signed: for our name, signed by the pinned CA, valid now by this device's clock. */
export function checkIssued(certPem: string, caPem: string, node: string, now = new Date()): void {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    throw new CommandError("the cloud answered with a certificate that cannot be parsed");
  }
  if (!cert.verify(new X509Certificate(caPem).publicKey)) throw new CommandError("the certificate the cloud issued is not signed by the pinned CA");
  if (cert.subject !== `CN=${node}`) {
    throw new CommandError(`the certificate the cloud issued is for "${cert.subject.replace(/\n/g, ", ")}", not CN=${node}`);
  }
  const from = new Date(cert.validFrom);
  if (from.getTime() > now.getTime()) {
    throw new CommandError(`clock skew: the certificate is valid from ${from.toISOString()} but this device's clock says ${now.toISOString()}; set the clock (NTP) and join again`);
  }
  if (new Date(cert.validTo).getTime() <= now.getTime()) {
    throw new CommandError(`clock skew: the certificate expired at ${new Date(cert.validTo).toISOString()} by this device's clock (${now.toISOString()}); set the clock (NTP) and join again`);
  }
}

/**
 * Runs the join. Writes one line naming what was written to stdout.
 *
 * @returns the running edge_core with `--start`, else nothing
 * @throws UsageError for bad flags; CommandError for wrong or expired token, unreachable cloud, CA hash mismatch, clock
 *   skew, name taken, or files that exist without --force
 */
export async function runEdgeJoin(flags: JoinFlags, logLevel: LogLevel | undefined, out: { write(text: string): unknown } = process.stdout): Promise<Stoppable | void> {
  const cloud = parseCloud(flags.cloud);
  if (!flags.token) throw new UsageError("join needs --token TOKEN (from cloud_core token create)");
  let token;
  try {
    token = parseJoinToken(flags.token);
  } catch (e) {
    if (e instanceof JoinTokenFormatError) throw new CommandError(`wrong token: ${e.message}`);
    throw e;
  }
  const dataDirFlag = flags.dataDir === undefined ? undefined : resolve(flags.dataDir);
  const file = resolve(flags.config ?? join(dataDirFlag ?? DEFAULT_DATA_DIR, "edge.yaml"));
  const base = readBase(file);
  const node = (flags.node ?? (typeof base.nodeName === "string" ? base.nodeName : hostname())).toLowerCase();
  if (!isNodeName(node)) throw new UsageError(`--node: expected ${NODE_NAME_EXPECTED}, got ${JSON.stringify(node.slice(0, 80))}${flags.node ? "" : " (the host name)"}`);
  const dataDir = dataDirFlag ?? (typeof base.dataDir === "string" ? resolve(dirname(file), base.dataDir) : DEFAULT_DATA_DIR);
  const certDir = join(dataDir, "certs");
  const paths = { ca: join(certDir, NODE_CERT_FILES.ca), cert: join(certDir, NODE_CERT_FILES.cert), key: join(certDir, NODE_CERT_FILES.key) };
  const edgeHub = (base.edgeHub && typeof base.edgeHub === "object" ? base.edgeHub : {}) as Record<string, unknown>;
  const merged = { ...base, nodeName: node, dataDir, edgeHub: { ...edgeHub, server: `${cloud.host.includes(":") ? `[${cloud.host}]` : cloud.host}:${cloud.port}`, tls: paths } };
  const text = `# written by edge_core join for node ${node}\n${yaml.dump(merged, { lineWidth: 120 })}`;
  // the result must be a config edge_core accepts, before anything is asked of the cloud
  withConfigFile(file, () => resolveEdgeConfig(parseConfig(text, edgeSchema, file), dirname(file)));
  if (!flags.force && (existsSync(paths.key) || existsSync(paths.cert))) {
    throw new CommandError(`${existsSync(paths.key) ? paths.key : paths.cert} exists: this device has joined before; --force replaces its key and certificate`);
  }

  // folders first: a device that cannot write its dataDir (not root?) learns it before the cloud is asked
  await asCommandError(`cannot prepare ${certDir}`, async () => {
    await ensurePrivateDir(dataDir);
    await ensurePrivateDir(certDir);
  });
  const ca = await fetchPinnedCa(cloud, token.caHash);
  const { key, csr } = await createNodeCsr(node);
  const cert = await requestNodeCertificate(cloud, ca, { token: flags.token.trim(), node, csr });
  checkIssued(cert, ca, node);

  await asCommandError(`cannot write the certificates to ${certDir}`, () => writeNodeCertificate(certDir, { key, cert, ca }));
  await asCommandError(`cannot write ${file}`, async () => {
    // a new folder for the config is private; an existing one (the user's own) is left as it is
    await mkdir(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
    const fh = await openPrivateFile(file);
    try {
      await fh.writeFile(text);
    } finally {
      await fh.close();
    }
  });
  out.write(`node "${node}" joined cloud ${merged.edgeHub.server}: certificates in ${certDir}, config ${file}\n`);
  if (flags.start) return startEdgeFromFile(file, logLevel);
}
