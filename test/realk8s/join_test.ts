import { test } from "uvu";
import * as assert from "uvu/assert";
import { X509Certificate } from "node:crypto";
import { join } from "node:path";
import { checkIssued } from "../../lib/cli/edge_join.ts";
import { runTokenCommand, type TokenFlags } from "../../lib/cli/token.ts";
import { cloudSchema, loadConfig, resolveCloudConfig } from "../../lib/config/index.ts";
import { silentLogger } from "../../lib/log/index.ts";
import { fetchPinnedCa, requestNodeCertificate } from "../../lib/cli/join_client.ts";
import { createNodeCsr, parseJoinToken } from "../../lib/pki/index.ts";
import { CLOUD_NS, checkOn, createRealCloud, type RealCloud } from "./_cloud.ts";

// Join tokens on the real control plane: the `cloud_core token` commands (in-process) running as conf/kubernetes' ServiceAccount stores them as
// Secrets in cloud_core's namespace, a running cloud_core (same identity) honours one for a join, and `token delete`
// removes it, all without an RBAC denial.

let rc: RealCloud | undefined;
let setupError: unknown;
let failed = false;
const made: string[] = [];

/** `cloud_core token ...` with the installation's cloud.yaml, in-process (the CLI test runs the entry point). */
async function tokenCmd(args: string[], flags: TokenFlags = {}): Promise<string> {
  let out = "";
  const config = resolveCloudConfig(loadConfig(join(rc!.dir, "cloud.yaml"), cloudSchema), rc!.dir);
  await runTokenCommand(config, args, flags, silentLogger, { write: (s: string) => (out += s) });
  return out;
}

test.before(async () => {
  try {
    rc = await createRealCloud();
    if (!rc) return;
    await rc.startCloud();
  } catch (e) {
    // uvu drops an error thrown by a before hook: keep it for the first test to report
    setupError = e;
    failed = true;
  }
});

test.after(async () => {
  if (!rc) return;
  for (const id of made) await rc.kubectlRaw(["-n", CLOUD_NS, "delete", "secret", "--ignore-not-found", `join-token-${id}`]);
  if (failed) console.error(`logs kept in ${rc.dumpLogs()}`);
  await rc.close(failed);
});

const check = checkOn(() => ({ rc, setupError }), () => (failed = true));

check("a token made as the ServiceAccount is a Secret on the real API, joins a node, and is deleted", async () => {
  const text = (await tokenCmd(["create"], { ttl: "15m" })).split("\n")[0];
  const token = parseJoinToken(text);
  made.push(token.id);

  const secret = JSON.parse(await rc!.kubectl(["-n", CLOUD_NS, "get", "secret", `join-token-${token.id}`, "-o", "json"]));
  assert.is(secret.type, "kubeedge-ts.io/join-token");
  assert.not.ok(JSON.stringify(secret).includes(token.secret), "only the hash of the secret is stored");
  assert.match(await tokenCmd(["list"]), new RegExp(`^${token.id}\\t`, "m"));

  const node = `realk8s-join-${process.pid}`;
  const cloud = { host: "127.0.0.1", port: rc!.cloudHubPort };
  const ca = await fetchPinnedCa(cloud, token.caHash);
  const { csr } = await createNodeCsr(node);
  const cert = await requestNodeCertificate(cloud, ca, { token: text, node, csr });
  checkIssued(cert, ca, node);
  assert.is(new X509Certificate(cert).subject, `CN=${node}`);

  assert.is(await tokenCmd(["delete", token.id]), `join token ${token.id} deleted\n`);
  const gone = await rc!.kubectlRaw(["-n", CLOUD_NS, "get", "secret", `join-token-${token.id}`]);
  assert.match(gone.stderr, /NotFound/);
  assert.equal(rc!.rbacDenials(), [], "cloud_core was denied nothing");
});

test.run();
