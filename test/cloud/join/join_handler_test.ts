/**
 * The join endpoints on a real CloudHub over TLS on 127.0.0.1, with tokens in the embedded API, asked by the device's
 * own client code (lib/cli/join_client.ts): a valid token gets a certificate; a wrong, expired or foreign token, a
 * taken name, a CA that is not the pinned one and an oversize body are refused with a clear answer.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { checkIssued } from "../../../lib/cli/edge_join.ts";
import { type CloudAddress, fetchPinnedCa, requestNodeCertificate } from "../../../lib/cli/join_client.ts";
import { CommandError } from "../../../lib/cli/run_main.ts";
import { CloudHub, type HttpHandler } from "../../../lib/cloud/cloudhub/index.ts";
import { createJoinHandler, joinTokenStore, MAX_JOIN_BODY_BYTES } from "../../../lib/cloud/join/index.ts";
import { Bus } from "../../../lib/core/index.ts";
import { createLogger, silentLogger } from "../../../lib/log/index.ts";
import { caCertHash, type CloudPki, createNodeCsr, ensureCloudPki, formatJoinToken, newJoinToken } from "../../../lib/pki/index.ts";
import { startTestApiServer, type TestApiServer } from "../../support/apiserver.ts";
import { freePort } from "../../support/process.ts";

const NS = "kubeedge-ts";
const dir = mkdtempSync(join(tmpdir(), "join-handler-"));
const logLines: string[] = [];
const log = createLogger("join", { level: "debug", write: (l) => void logLines.push(l) });
let t: TestApiServer;
let kc: KubeConfig;
let pki: CloudPki;
const buses: Bus[] = [];
let cloud: CloudAddress;

const pkiAt = (name: string) =>
  ensureCloudPki({ ca: join(dir, name, "ca.crt"), caKey: join(dir, name, "ca.key"), cert: join(dir, name, "server.crt"), key: join(dir, name, "server.key") }, { log: silentLogger });

async function startHub(handler: HttpHandler): Promise<CloudAddress> {
  const bus = new Bus({ log: silentLogger });
  const hub = new CloudHub({ address: { host: "127.0.0.1", port: 0 }, tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert }, httpHandler: handler, log: silentLogger });
  bus.register(hub);
  await bus.start();
  buses.push(bus);
  return { host: "127.0.0.1", port: hub.address.port };
}

/** A stored token; its printed form. */
async function token(options: { node?: string; ttlMs?: number; now?: Date } = {}): Promise<string> {
  const tok = newJoinToken(caCertHash(pki.caCert));
  await joinTokenStore(kc, NS).create(tok, { ttlMs: options.ttlMs ?? 3_600_000, node: options.node, now: options.now });
  return formatJoinToken(tok);
}

/** What `edge_core join` does up to the files: returns the certificate, or the CommandError's message. */
async function joinAs(node: string, tokenText: string, at = cloud, pin = caCertHash(pki.caCert)): Promise<string> {
  try {
    const ca = await fetchPinnedCa(at, pin);
    const { csr } = await createNodeCsr(node);
    const cert = await requestNodeCertificate(at, ca, { token: tokenText, node, csr });
    checkIssued(cert, ca, node);
    return cert;
  } catch (e) {
    if (e instanceof CommandError) return `error: ${e.message}`;
    throw e;
  }
}

function post(at: CloudAddress, body: Buffer | string): Promise<{ status: number; json: any; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: at.host, port: at.port, path: "/join/v1/certificate", method: "POST", ca: pki.caCert, agent: false, headers: { "content-type": "application/json" } }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text), headers: res.headers }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

test.before(async () => {
  t = await startTestApiServer({ ownNamespaces: [NS] });
  kc = new KubeConfig();
  kc.loadFromFile(t.api.kubeconfigPath!);
  pki = await pkiAt("cloud");
  cloud = await startHub(createJoinHandler({ pki, kubeConfig: kc, namespace: NS, log, perAddressPerMinute: 100_000, totalPerMinute: 100_000 }));
});

test.after(async () => {
  for (const b of buses) await b.stop();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

test("a valid token gets a certificate for the node (CN = node, signed by the cloud CA, client auth)", async () => {
  const tokenText = await token();
  const cert = await joinAs("join-ok", tokenText);
  assert.not.match(cert, /^error/, cert);
  const x = new X509Certificate(cert);
  assert.is(x.subject, "CN=join-ok");
  assert.ok(x.verify(new X509Certificate(pki.caCert).publicKey));
  assert.ok(x.checkIssued(new X509Certificate(pki.caCert)));
  assert.ok(logLines.some((l) => l.includes("node joined") && l.includes("join-ok")), logLines.join("\n"));
  const secret = tokenText.split(".").pop()!;
  assert.not.ok(logLines.some((l) => l.includes(secret)), "the token's secret is never logged");
});

test("a device whose clock is behind the certificate's start refuses it with a clock-skew line", async () => {
  const cert = await joinAs("join-clock", await token());
  const behind = new Date(Date.now() - 3 * 3_600_000);
  try {
    checkIssued(cert, pki.caCert, "join-clock", behind);
    assert.unreachable("a certificate from the future was accepted");
  } catch (e) {
    assert.instance(e, CommandError);
    assert.match((e as Error).message, new RegExp(`^clock skew: the certificate is valid from \\S+ but this device's clock says ${behind.toISOString()}; set the clock \\(NTP\\)`));
  }
  assert.throws(() => checkIssued(cert, pki.caCert, "join-other"), /is for "CN=join-clock", not CN=join-other/);
});

test("an unreachable cloud is named with the socket error", async () => {
  const closed = { host: "127.0.0.1", port: await freePort() };
  assert.is(await joinAs("join-nowhere", await token(), closed), `error: cannot reach cloud 127.0.0.1:${closed.port}: ECONNREFUSED`);
});

test("a wrong secret and an unknown token id get the same 401 InvalidToken", async () => {
  const good = await token();
  const wrongSecret = good.replace(/\.[a-z0-9]{16}$/, ".0000000000000000");
  const unknownId = formatJoinToken({ ...newJoinToken(caCertHash(pki.caCert)) });
  for (const bad of [wrongSecret, unknownId]) {
    assert.is(await joinAs("join-wrong", bad), `error: join refused by cloud 127.0.0.1:${cloud.port} (HTTP 401): unknown or wrong join token`);
  }
  const raw = await post(cloud, JSON.stringify({ token: wrongSecret, node: "join-wrong", csr: (await createNodeCsr("join-wrong")).csr }));
  assert.equal([raw.status, raw.json.reason], [401, "InvalidToken"]);
});

test("an expired token gets 401 ExpiredToken naming when it expired", async () => {
  const expired = await token({ ttlMs: 60_000, now: new Date(Date.now() - 120_000) });
  const answer = await joinAs("join-late", expired);
  assert.match(answer, /^error: join refused by cloud [^ ]+ \(HTTP 401\): join token [a-z0-9]{6} expired at \d{4}-\d\d-\d\dT/);
});

test("a name whose Node exists is refused unless the token was made for that name", async () => {
  await kc.makeApiClient(CoreV1Api).createNode({ body: { metadata: { name: "join-taken" } } });
  const any = await token();
  assert.match(await joinAs("join-taken", any), /\(HTTP 403\): node "join-taken" already exists; .*cloud_core token create --node join-taken/);
  const forIt = await token({ node: "join-taken" });
  assert.is(new X509Certificate(await joinAs("join-taken", forIt)).subject, "CN=join-taken");
  assert.match(await joinAs("join-other", forIt), /\(HTTP 403\): join token [a-z0-9]{6} is for node "join-taken", not "join-other"/);
});

test("a cloud with another CA is caught by the pin: its own CA, or the real CA it cannot prove", async () => {
  const realPki = pki;
  const fake = await pkiAt("impostor");
  pki = fake;
  // the impostor serves its own CA...
  const own = await startHub(createJoinHandler({ pki: fake, kubeConfig: kc, namespace: NS, log: silentLogger }));
  // ...or copies the real CA's certificate, which it can read, but has no server certificate that CA signed
  const copying = await startHub(async (req, res) => {
    if (req.url !== "/join/v1/ca") return false;
    res.writeHead(200).end(realPki.caCert);
    return true;
  });
  pki = realPki;
  const tokenText = await token();
  const pin = caCertHash(realPki.caCert);
  assert.is(await joinAs("join-mitm", tokenText, own, pin),
    `error: CA hash mismatch: cloud 127.0.0.1:${own.port} shows a CA with ${caCertHash(fake.caCert)}, the token pins ${pin} (man in the middle or wrong cloud?)`);
  assert.match(await joinAs("join-mitm", tokenText, copying, pin), new RegExp(`^error: cloud 127\\.0\\.0\\.1:${copying.port} does not prove itself with the pinned CA: `));
});

test("a body over the limit gets 413 TooLarge; a CSR that is not one gets 400; the cloud keeps serving", async () => {
  const tokenText = await token();
  const huge = await post(cloud, JSON.stringify({ token: tokenText, node: "join-big", csr: "x".repeat(MAX_JOIN_BODY_BYTES) }));
  assert.equal([huge.status, huge.json.reason], [413, "TooLarge"]);
  const junk = await post(cloud, JSON.stringify({ token: tokenText, node: "join-big", csr: "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n" }));
  assert.equal([junk.status, junk.json.reason], [400, "BadRequest"]);
  const notJson = await post(cloud, "{");
  assert.equal([notJson.status, notJson.json.message], [400, "body is not JSON"]);
  assert.is(new X509Certificate(await joinAs("join-big", tokenText)).subject, "CN=join-big");
});

test("requests past the rate limit (a burst of a third of a minute's) get 429 with Retry-After", async () => {
  const limited = await startHub(createJoinHandler({ pki, kubeConfig: kc, namespace: NS, log: silentLogger, perAddressPerMinute: 9 }));
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) statuses.push((await post(limited, "{")).status);
  const over = await post(limited, "{");
  assert.equal(statuses, [400, 400, 400]);
  assert.equal([over.status, over.json.reason, over.headers["retry-after"]], [429, "RateLimited", "60"]);
});

test.run();
