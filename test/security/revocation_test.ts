/**
 * Node revocation against a real cloud_core (embedded API) over real TLS loopback: `kubectl delete node` revokes the
 * node (its link closes with 4003 and every new upgrade gets 403 "revoked"), which survives a cloud_core restart;
 * `cloud_core node unrevoke` lets it back; a certificate issued after a revocation (a re-join) works.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rmSync } from "node:fs";
import { join } from "node:path";
import WebSocket from "ws";
import { runNodeCommand } from "../../lib/cli/cloud_node.ts";
import { RevocationStore } from "../../lib/cloud/revocation/index.ts";
import { cloudSchema, loadConfig, resolveCloudConfig } from "../../lib/config/index.ts";
import { kubectl } from "../support/kubectl.ts";
import { type DialAnswer, dialLink } from "../support/link_dial.ts";
import { ROOT, runToEnd, tsArgs, waitUntil } from "../support/process.ts";
import { goodNode, readyOf, startTestCloud, type TestCloud } from "./_hostile.ts";

const run = `${process.pid}`;
const GONE = `gone-${run}`, KEPT = `kept-${run}`;
/** How long a revocation may take to reach a live link: one API write plus one watch event. */
const ENFORCE_WITHIN_MS = 5_000;
let cloud: TestCloud;

/** Dials the node's link with its certificate (issued by `cloud_core cert` on first use). */
async function dial(node: string): Promise<DialAnswer> {
  return dialLink(cloud.hubPort, node, await cloud.certs(node));
}

/** Closes as soon as the cloud closes the link, with its close code. */
const closeCode = (ws: WebSocket) => new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));

/** `cloud_core node ...` in this process (the same code the command runs, against the same API). */
async function node(...args: string[]): Promise<string> {
  const config = resolveCloudConfig(loadConfig(join(cloud.dir, "cloud.yaml"), cloudSchema), cloud.dir);
  return runNodeCommand(args, config);
}

/** `cloud_core node ...` as a user runs it. */
async function cli(...args: string[]): Promise<string> {
  const r = await runToEnd(...tsArgs(join(ROOT, "cmd/cloud_core.ts"), "node", ...args, "--config", join(cloud.dir, "cloud.yaml")), { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`cloud_core node ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

test.before(async () => {
  cloud = await startTestCloud("revoke");
});

test.after(async () => {
  await cloud?.stop();
});

test("kubectl delete node closes that node's link at once and refuses it since; other nodes are untouched", async () => {
  const gone = await goodNode(cloud, GONE);
  const kept = await goodNode(cloud, KEPT);
  try {
    await waitUntil(async () => (await readyOf(cloud, GONE)) === "True" && (await readyOf(cloud, KEPT)) === "True", 20_000, "both nodes Ready");
    const closed = closeCode(gone.link.ws);
    const began = Date.now();
    const del = await kubectl({ kubeconfig: join(cloud.dir, "cloud/kubeconfig"), home: cloud.dir }, ["delete", "node", GONE], { timeoutMs: 30_000 });
    assert.is(del.code, 0, del.stderr);
    const code = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(-1), ENFORCE_WITHIN_MS + 10_000).unref())]);
    const tookMs = Date.now() - began;
    assert.is(code, 4003, "the link closed with the revoked code");
    assert.ok(tookMs < ENFORCE_WITHIN_MS + 3_000, `link closed within bound (took ${tookMs} ms)`);
    console.log(`  delete node -> link closed in ${tookMs} ms`);
    assert.equal(await dial(GONE), { status: 403, refusal: "revoked" });
    assert.match(cloud.proc.output(), new RegExp(`node revoked.*${GONE}`));
    // the log line travels through a pipe: it may come after the answer
    await waitUntil(() => /link refused.*step=checkRevoked/.test(cloud.proc.output()), 10_000, "refusal logged with its step");
    // a revoked node retrying is refused every time, but logged once per address and step every 10 s
    for (let i = 0; i < 3; i++) assert.equal(await dial(GONE), { status: 403, refusal: "revoked" });
    assert.is(cloud.proc.output().split("\n").filter((l) => /link refused.*step=checkRevoked/.test(l)).length, 1, "one log line for four refusals");
    assert.not.ok(kept.link.closed, "the other node's link is still up");
    assert.is((await dial(KEPT)).status, 101);
  } finally {
    await gone.stop();
    await kept.stop();
  }
});

test("a revocation survives a cloud_core restart, and cloud_core node unrevoke lets the node back", async () => {
  await cloud.restart();
  assert.equal(await dial(GONE), { status: 403, refusal: "revoked" });
  assert.match(await node("list-revoked"), new RegExp(`^${GONE}\\t\\d{4}-[^\\t]+\\tnode deleted$`, "m"));
  assert.match(await cli("unrevoke", GONE), /unrevoked/);
  await waitUntil(async () => (await dial(GONE)).status === 101, 10_000, `${GONE} accepted again`);
  assert.not.match(await node("list-revoked"), new RegExp(GONE));
});

test("cloud_core node revoke closes a live link; a certificate issued after the revocation (a re-join) works", async () => {
  const kept = await goodNode(cloud, KEPT);
  try {
    const closed = closeCode(kept.link.ws);
    const revokedAt = Date.now();
    assert.match(await node("revoke", KEPT), /revoked at/);
    assert.is(await closed, 4003);
    assert.equal(await dial(KEPT), { status: 403, refusal: "revoked" });
    rmSync(join(cloud.dir, `certs-${KEPT}`), { recursive: true, force: true });
    // a fresh certificate must start after the revocation, and X.509 times have whole seconds
    await waitUntil(() => Date.now() > revokedAt + 1000, 5_000, "the revocation's second passed");
    assert.is((await dial(KEPT)).status, 101, "the new certificate is accepted while the node stays revoked");
    assert.match(await node("list-revoked"), new RegExp(KEPT));
  } finally {
    await kept.stop();
  }
  assert.ok(cloud.alive(), "cloud_core kept running");
  assert.not.match(cloud.proc.output(), /uncaught exception|unhandled promise rejection/);
});

test("revocations written at once by several writers all land (conflicts are retried)", async () => {
  const names = Array.from({ length: 6 }, (_, i) => `race-${i}-${run}`);
  const store = () => new RevocationStore(cloud.kc, { namespace: "kubeedge-ts" });
  await Promise.all(names.map((n) => store().revoke(n, "race")));
  const list = await store().read();
  for (const n of names) assert.ok(list.has(n), `${n} revoked`);
  await Promise.all(names.map((n) => store().unrevoke(n)));
  const after = await store().read();
  for (const n of names) assert.not.ok(after.has(n), `${n} unrevoked`);
});

test.run();
