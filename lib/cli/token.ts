/**
 * `cloud_core token create|list|delete`: join tokens for new edge nodes, kept as Secrets in the cluster cloud_core
 * serves (see lib/cloud/join). `create` prints the token once, and the command to run on the device.
 *
 * @module
 */
import { hostname } from "node:os";
import { joinTokenStore, JOIN_TOKEN_USAGES, type JoinTokenRecord } from "../cloud/join/index.ts";
import { type CloudConfig, isNodeName, NODE_NAME_EXPECTED, parseDurationMs } from "../config/index.ts";
import type { Logger } from "../log/index.ts";
import { caCertHash, ensureCloudPki, formatJoinToken, isJoinTokenId, newJoinToken } from "../pki/index.ts";
import { cloudKubeConfig } from "./cloud_kubeconfig.ts";
import { CommandError, UsageError } from "./run_main.ts";

/** Lifetime of a token when `--ttl` is not given. */
export const DEFAULT_TOKEN_TTL = "24h";
const MIN_TTL_MS = 60_000;
const MAX_TTL_MS = 365 * 24 * 3_600_000;

/** Flags of the token commands. */
export type TokenFlags = { ttl?: string; node?: string; usages?: string };

/** Where a device reaches cloudhub: the advertised address, else the listen host (the host name for a wildcard). */
function cloudAddress(config: CloudConfig): string {
  const { host, port } = config.cloudHub.address;
  const shown = config.cloudHub.advertiseAddress ?? (host === "0.0.0.0" || host === "::" ? hostname() : host);
  return `${shown.includes(":") ? `[${shown}]` : shown}:${port}`;
}

function row(r: JoinTokenRecord, now: number): string {
  const left = r.expires.getTime() - now;
  const ttl = left <= 0 ? "expired" : `${Math.ceil(left / 60_000)}m`;
  return [r.id, r.expires.toISOString(), ttl, r.usages.join(",") || "-", r.node ?? "<any new node>"].join("\t");
}

/**
 * Runs one token command and writes its answer to stdout.
 *
 * @throws UsageError for bad arguments; CommandError when the cluster cannot be reached or refuses
 */
export async function runTokenCommand(config: CloudConfig, args: string[], flags: TokenFlags, log: Logger, out: { write(text: string): unknown } = process.stdout): Promise<void> {
  const [sub, ...rest] = args;
  const store = () => joinTokenStore(cloudKubeConfig(config), config.kubernetes.namespace);
  const fail = (e: unknown): never => {
    throw new CommandError(e instanceof Error ? e.message : String(e));
  };
  if (sub === "create") {
    if (rest.length) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])} (see --help)`);
    const ttlMs = parseDurationMs(flags.ttl ?? DEFAULT_TOKEN_TTL);
    if (ttlMs === undefined || ttlMs < MIN_TTL_MS || ttlMs > MAX_TTL_MS) {
      throw new UsageError(`--ttl: expected a duration from 1m to 8760h such as 24h or 30m, got ${JSON.stringify(String(flags.ttl).slice(0, 40))}`);
    }
    if (flags.node !== undefined && !isNodeName(flags.node)) throw new UsageError(`--node: expected ${NODE_NAME_EXPECTED}, got ${JSON.stringify(flags.node.slice(0, 80))}`);
    const usages = (flags.usages ?? JOIN_TOKEN_USAGES.join(",")).split(",").filter(Boolean);
    const unknown = usages.find((u) => !(JOIN_TOKEN_USAGES as readonly string[]).includes(u));
    if (unknown !== undefined || !usages.length) throw new UsageError(`--usages: expected a comma-separated list of ${JOIN_TOKEN_USAGES.join(", ")}, got ${JSON.stringify(String(flags.usages).slice(0, 40))}`);
    const pki = await ensureCloudPki(config.cloudHub.tls, { log, hosts: config.cloudHub.advertiseAddress ? [config.cloudHub.advertiseAddress] : [] });
    const token = newJoinToken(caCertHash(pki.caCert));
    const record = await store().create(token, { ttlMs, node: flags.node, usages }).catch(fail);
    const text = formatJoinToken(token);
    log.info("join token created", { id: record.id, expires: record.expires.toISOString(), node: record.node ?? "" });
    out.write(`${text}\n`);
    out.write(`# expires ${record.expires.toISOString()}; on the device run:\n`);
    out.write(`edge_core join --cloud ${cloudAddress(config)} --token ${text}${flags.node ? ` --node ${flags.node}` : ""}\n`);
    return;
  }
  if (sub === "list") {
    if (rest.length) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])} (see --help)`);
    const all = await store().list().catch(fail);
    const now = Date.now();
    out.write(["ID", "EXPIRES", "TTL", "USAGES", "NODE"].join("\t") + "\n");
    for (const r of all) out.write(row(r, now) + "\n");
    return;
  }
  if (sub === "delete") {
    const [id, ...more] = rest;
    if (!id || more.length) throw new UsageError("token delete needs exactly one token ID (see cloud_core token list)");
    if (!isJoinTokenId(id)) throw new UsageError(`token ID: expected 6 characters of a-z and 0-9, got ${JSON.stringify(id.slice(0, 40))}`);
    if (!(await store().delete(id).catch(fail))) throw new CommandError(`no join token ${id} in namespace "${config.kubernetes.namespace}"`);
    log.info("join token deleted", { id });
    out.write(`join token ${id} deleted\n`);
    return;
  }
  throw new UsageError(`token: expected create, list or delete, got ${JSON.stringify(String(sub ?? "").slice(0, 40))} (see --help)`);
}
