import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runNodeCommand } from "../../lib/cli/cloud_node.ts";
import { cloudSchema, loadConfig, resolveCloudConfig } from "../../lib/config/index.ts";
import { type Background, freePort, startBackground, tsArgs, waitUntil } from "../support/process.ts";
import { type DialAnswer, dialLink } from "../support/link_dial.ts";
import { checkOn, createRealCloud, type RealCloud, type RealEdge } from "./_cloud.ts";

// Two cloud_core replicas against the real control plane, each as the cloudcore ServiceAccount, share one
// revocation list: `cloud_core node revoke` closes the node's link on the replica it is linked to and the other
// replica refuses it too; `cloud_core node unrevoke` lets it back on both; no API call is denied.

let rc: RealCloud | undefined;
let replica: Background | undefined;
let replicaPort = 0;
let edge: RealEdge;
let failed = false;
let setupError: unknown;
const check = checkOn(() => ({ rc, setupError }), () => (failed = true));

test.before(async () => {
  try {
    rc = await createRealCloud();
    if (!rc) return;
    await rc.startCloud();
    // the second replica: same cluster, same CA (so the node's certificate is trusted), its own port and data
    replicaPort = await freePort();
    const pki = join(rc.dir, "cloud/pki");
    const second = join(rc.dir, "cloud2.yaml");
    writeFileSync(second, [
      "dataDir: cloud2",
      "cloudHub:",
      `  address: 127.0.0.1:${replicaPort}`,
      "  tls:",
      `    ca: ${join(pki, "ca.crt")}`,
      `    caKey: ${join(pki, "ca.key")}`,
      `    cert: ${join(pki, "server.crt")}`,
      `    key: ${join(pki, "server.key")}`,
      "kubernetes:",
      `  kubeconfig: ${join(rc.dir, "cloudcore.kubeconfig")}`,
      "",
    ].join("\n"));
    replica = startBackground(...tsArgs("cmd/cloud_core.ts", "--config", second, "--log-level", "debug"));
    await replica.waitFor(/cloud_core started/, 60_000);
    edge = await rc.addEdge("revoked");
    await edge.start();
  } catch (e) {
    setupError = e;
    failed = true;
  }
});

test.after(async () => {
  if (!rc) return;
  if (edge) await node("unrevoke", edge.name).catch(() => undefined);
  await replica?.kill("SIGTERM");
  if (failed) console.error(`logs kept in ${rc.dumpLogs()}\nreplica:\n${replica?.output().slice(-4000)}`);
  await rc.close(failed);
});

/** `cloud_core node ...` with the first replica's config (the ServiceAccount's kubeconfig), in this process. */
async function node(...args: string[]): Promise<string> {
  return runNodeCommand(args, resolveCloudConfig(loadConfig(join(rc!.dir, "cloud.yaml"), cloudSchema), rc!.dir));
}

/** Dials `port` with the edge's certificate. */
function dial(port: number): Promise<DialAnswer> {
  const certs = join(edge.dir, "certs");
  return dialLink(port, edge.name, { ca: join(certs, "ca.crt"), cert: join(certs, "node.crt"), key: join(certs, "node.key") });
}

check("cloud_core node revoke is enforced by both replicas: the live link closes, the edge says why once, both refuse", async () => {
  assert.is((await dial(replicaPort)).status, 101, "the second replica accepts the node before");
  const edgeOut = edge.proc()!;
  const from = edgeOut.output().length;
  const began = Date.now();
  assert.match(await node("revoke", edge.name), /revoked at/);
  await waitUntil(() => /certificate.*revoked|revoked this node/.test(edgeOut.output().slice(from)), 20_000, "edge_core says it is revoked");
  console.log(`  revoke -> edge told in ${Date.now() - began} ms`);
  await waitUntil(() => rc!.cloud()!.output().includes("node revoked, link closed"), 10_000, "replica 1 closed the link");
  await waitUntil(() => replica!.output().includes("revocation list changed"), 10_000, "replica 2 saw the change");
  assert.equal(await dial(rc!.cloudHubPort), { status: 403, refusal: "revoked" });
  assert.equal(await dial(replicaPort), { status: 403, refusal: "revoked" });
  // the edge keeps retrying with backoff (reconnectMax 1s), but says so in one line, not one per attempt
  await waitUntil(() => (edgeOut.output().slice(from).match(/cannot connect to cloud/g) ?? []).length >= 3, 20_000, "three retries");
  assert.is((edgeOut.output().slice(from).match(/revoked this node's certificate/g) ?? []).length, 1, "one revocation line");
  assert.match(await node("list-revoked"), new RegExp(`^${edge.name}\\t`, "m"));
});

check("cloud_core node unrevoke lets the node back on both replicas", async () => {
  const edgeOut = edge.proc()!;
  const from = edgeOut.output().length;
  assert.match(await node("unrevoke", edge.name), /unrevoked/);
  await waitUntil(() => /connected to cloud/.test(edgeOut.output().slice(from)), 20_000, "edge_core connected again");
  await waitUntil(async () => (await dial(replicaPort)).status === 101, 10_000, "replica 2 accepts the node");
  // cloudhub's own 403s to the revoked node are not API denials
  assert.equal(rc!.rbacDenials().filter((l) => !/link refused/.test(l)), [], "cloud_core was denied nothing");
  assert.not.match(replica!.output(), /forbidden|\b403\b.*configmap/i, "the second replica was denied nothing");
});

test.run();
