/**
 * Join tokens as Secrets in the embedded API, in-process: what `cloud_core token create|list|delete` stores (a hash,
 * never the secret), prints and refuses.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { CommandError, UsageError } from "../../../lib/cli/run_main.ts";
import { runTokenCommand } from "../../../lib/cli/token.ts";
import { JOIN_TOKEN_SECRET_TYPE, joinTokenStore } from "../../../lib/cloud/join/index.ts";
import { cloudSchema, parseConfig, resolveCloudConfig } from "../../../lib/config/index.ts";
import { silentLogger } from "../../../lib/log/index.ts";
import { caCertHash, ensureCloudPki, formatJoinToken, hashTokenSecret, JoinTokenFormatError, newJoinToken, parseJoinToken } from "../../../lib/pki/index.ts";
import { startTestApiServer, type TestApiServer } from "../../support/apiserver.ts";

const NS = "kubeedge-ts";
const dir = mkdtempSync(join(tmpdir(), "join-tokens-"));
let t: TestApiServer;
let kc: KubeConfig;

const config = () => resolveCloudConfig(parseConfig(`dataDir: ${dir}\ncloudHub: {address: "0.0.0.0:10443", advertiseAddress: cloud.example}\nkubernetes: {kubeconfig: ${t.api.kubeconfigPath}}\n`, cloudSchema, "cloud.yaml"));

async function tokenCmd(...args: string[]): Promise<string> {
  let out = "";
  const flags: Record<string, string> = {};
  const positional = args.filter((a, i) => {
    if (a.startsWith("--")) return false;
    if (i > 0 && args[i - 1].startsWith("--")) return false;
    return true;
  });
  args.forEach((a, i) => a.startsWith("--") && (flags[a.slice(2)] = args[i + 1]));
  await runTokenCommand(config(), positional, flags, silentLogger, { write: (s: string) => (out += s) });
  return out;
}

async function refusal(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a refusal");
}

test.before(async () => {
  t = await startTestApiServer({ ownNamespaces: [NS] });
  kc = new KubeConfig();
  kc.loadFromFile(t.api.kubeconfigPath!);
});

test.after(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

test("a token is stored as a typed Secret holding the secret's hash, never the secret", async () => {
  const tok = newJoinToken("sha256:" + "ab".repeat(32));
  const rec = await joinTokenStore(kc, NS).create(tok, { ttlMs: 3_600_000, node: "edge-a" });
  assert.equal([rec.id, rec.node, rec.usages], [tok.id, "edge-a", ["join"]]);
  const secret = await kc.makeApiClient(CoreV1Api).readNamespacedSecret({ name: `join-token-${tok.id}`, namespace: NS });
  assert.is(secret.type, JOIN_TOKEN_SECRET_TYPE);
  const stored = Object.values(secret.data ?? {}).map((v) => Buffer.from(v, "base64").toString("utf8"));
  assert.ok(stored.includes(hashTokenSecret(tok.secret)));
  assert.not.ok(JSON.stringify(secret).includes(tok.secret), "the secret part is nowhere in the Secret");
  const back = await joinTokenStore(kc, NS).get(tok.id);
  assert.is(back?.secretHash, hashTokenSecret(tok.secret));
  assert.ok(Math.abs(back!.expires.getTime() - (Date.now() + 3_600_000)) < 60_000);
  assert.is(await joinTokenStore(kc, NS).get("../etc"), undefined, "a malformed id is not looked up");
});

test("token create prints the token pinned to the CA and the edge_core join command; list shows it; delete removes it", async () => {
  const out = await tokenCmd("create", "--ttl", "30m", "--node", "edge-b");
  const [line1, line2, line3] = out.trimEnd().split("\n");
  const tok = parseJoinToken(line1);
  const pki = await ensureCloudPki(config().cloudHub.tls, { log: silentLogger });
  assert.is(tok.caHash, caCertHash(pki.caCert));
  assert.match(line2, /^# expires \d{4}-\d\d-\d\dT[^;]+; on the device run:$/);
  assert.is(line3, `edge_core join --cloud cloud.example:10443 --token ${line1} --node edge-b`);
  const listed = await tokenCmd("list");
  const row = listed.split("\n").find((l) => l.startsWith(tok.id));
  assert.ok(row, listed);
  assert.match(row!, /\t(29|30)m\tjoin\tedge-b$/);
  assert.not.ok(listed.includes(tok.secret), "list never shows a secret");
  assert.is(await tokenCmd("delete", tok.id), `join token ${tok.id} deleted\n`);
  assert.not.ok((await tokenCmd("list")).includes(tok.id));
  const again = await refusal(tokenCmd("delete", tok.id));
  assert.instance(again, CommandError);
  assert.is(again.message, `no join token ${tok.id} in namespace "${NS}"`);
});

test("token create refuses a bad ttl, node or usage; list skips Secrets that are not join tokens", async () => {
  for (const [args, msg] of [
    [["create", "--ttl", "0s"], /^--ttl: expected a duration from 1m to 8760h/],
    [["create", "--ttl", "soon"], /^--ttl: /],
    [["create", "--node", "Bad_Name"], /^--node: expected /],
    [["create", "--usages", "admin"], /^--usages: expected a comma-separated list of join/],
    [["rotate"], /^token: expected create, list or delete, got "rotate"/],
  ] as [string[], RegExp][]) {
    const e = await refusal(tokenCmd(...args));
    assert.instance(e, UsageError, args.join(" "));
    assert.match(e.message, msg);
  }
  await kc.makeApiClient(CoreV1Api).createNamespacedSecret({ namespace: NS, body: { metadata: { name: "join-token-zzzzzz", labels: { "kubeedge-ts.io/join-token": "true" } }, type: "Opaque", data: {} } });
  assert.not.ok((await tokenCmd("list")).includes("zzzzzz"), "a Secret of another type is not a token");
});

test("token commands name the missing kubeconfig when the cluster was never started", async () => {
  const fresh = resolveCloudConfig(parseConfig(`dataDir: ${join(dir, "never")}\n`, cloudSchema, "cloud.yaml"));
  const e = await refusal(runTokenCommand(fresh, ["list"], {}, silentLogger, { write: () => true }));
  assert.instance(e, CommandError);
  assert.match(e.message, /^no kubeconfig at .*never\/kubeconfig/);
});

test("a join token round-trips through its printed form; anything else is refused without echoing it", async () => {
  const tok = newJoinToken("sha256:" + "0f".repeat(32));
  assert.equal(parseJoinToken(formatJoinToken(tok)), tok);
  for (const bad of ["", "K10abc::x.y", formatJoinToken(tok).toUpperCase(), `${formatJoinToken(tok)}x`, "KE1" + "0".repeat(64) + "::abcdef.short"]) {
    const e = await refusal(Promise.resolve().then(() => parseJoinToken(bad)));
    assert.instance(e, JoinTokenFormatError, bad);
    assert.not.ok(bad.length > 3 && e.message.includes(bad), "the message never contains the text");
  }
});

test.run();
