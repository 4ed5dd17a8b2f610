import { X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CertSigner } from "../../lib/cloud/certsigner/index.ts";
import { CertRenewal } from "../../lib/edge/certrenewal/index.ts";
import { encodeMessage, newCertificateRequest, type Message } from "../../lib/model/index.ts";
import { createNodeCsr, issueNodeCertificate, writeNodeCertificate } from "../../lib/pki/index.ts";
import { makePki, type RawLink, rawLink, startCloud, startEdge, testLog } from "../fixtures/link_env.ts";
import { waitUntil } from "../support/process.ts";

const dir = mkdtempSync(join(tmpdir(), "cert-renewal-"));
const pki = await makePki(dir);
const serial = (path: string) => new X509Certificate(readFileSync(path)).serialNumber;

// The config allows no node certificate under a minute; the modules take any lifetime, so the first certificate here
// lives 15 s and renewal (at two thirds) comes after about 10 s instead of 40.
test("a node renews its certificate over its link before expiry without dropping it, and reconnects with the new one", async () => {
  const node = "edge-renew";
  const certs = await writeNodeCertificate(join(dir, node), await issueNodeCertificate(pki, node, { validityMs: 15_000 }));
  const first = { serial: serial(certs.cert), notAfter: Date.parse(new X509Certificate(readFileSync(certs.cert)).validTo) };
  const signer = new CertSigner({ pki, validityMs: 120_000, log: testLog("certsigner") });
  const cloud = await startCloud(pki, [signer]);
  const renewal = new CertRenewal({ nodeName: node, tls: certs, retryMinMs: 100, retryMaxMs: 500, log: testLog("certrenewal") });
  const edge = await startEdge({ node, port: cloud.port, certs, dir, modules: [renewal] });
  try {
    await waitUntil(() => cloud.hub.connectedNodes().includes(node), 10_000, "edge linked");
    await waitUntil(() => renewal.counts.renewed === 1, 30_000, "certificate renewed");
    assert.ok(Date.now() < first.notAfter, "renewed before the old certificate expired");
    assert.is.not(serial(certs.cert), first.serial, "new serial on disk");
    const cert = new X509Certificate(readFileSync(certs.cert));
    assert.is(cert.subject, `CN=${node}`);
    assert.ok(cert.checkPrivateKey((await import("node:crypto")).createPrivateKey(readFileSync(certs.key))), "node.key fits node.crt");
    assert.ok(Date.parse(cert.validTo) - Date.now() > 100_000, "new certificate carries the signer's lifetime");
    for (const f of [certs.cert, certs.key]) assert.is(statSync(f).mode & 0o777, 0o600, f);
    assert.not.ok(existsSync(`${certs.key}.next`), "no staged pair left");
    assert.is(edge.hub.counters.connects, 1, "edge never reconnected");
    assert.is(cloud.hub.nodeStats(node).connects, 1, "cloud saw one link");
    assert.is(edge.hub.state, "connected");
    assert.equal(signer.counts, { signed: 1, refused: 0 });

    // once the first certificate has expired, only the renewed one can open a link: replace the edge's link, and
    // the edge's own reconnect (which re-reads the files) must get through
    await waitUntil(() => Date.now() > first.notAfter + 1000, 20_000, "first certificate expired");
    const intruder = (await rawLink(cloud.port, certs, `/p1/${node}/events`)) as RawLink;
    assert.is(typeof intruder, "object", "renewed files open a link");
    await waitUntil(() => edge.hub.counters.connects === 2 && edge.hub.state === "connected", 10_000, "edge reconnected with the renewed certificate");
    assert.is((await intruder.closed).code, 4000, "the edge's new link replaced the test's");
  } finally {
    await edge.stop();
    await cloud.stop();
  }
});

test("an expired node certificate cannot open a link, so it cannot renew", async () => {
  const node = "edge-expired";
  // lifetime 1 s, backdated 0.1 s: expired before the test dials
  const certs = await writeNodeCertificate(join(dir, node), await issueNodeCertificate(pki, node, { validityMs: 1000 }));
  const cloud = await startCloud(pki, [new CertSigner({ pki, validityMs: 120_000, log: testLog("certsigner") })]);
  try {
    await waitUntil(() => Date.now() > Date.parse(new X509Certificate(readFileSync(certs.cert)).validTo) + 1000, 5000, "certificate expired");
    assert.is(await rawLink(cloud.port, certs, `/p1/${node}/events`), 403);
  } finally {
    await cloud.stop();
  }
});

/** Sends a renewal request over a raw link and waits for the reply to it. */
async function ask(link: RawLink, csr: string): Promise<Message> {
  const req = newCertificateRequest("certrenewal", csr);
  link.ws.send(encodeMessage(req));
  return waitUntil(() => link.frames.find((f) => f.header.parent_msg_id === req.header.msg_id), 10_000, "reply");
}

test("a node asking for another node's certificate, or too often, is refused with a reason", async () => {
  const node = "edge-greedy";
  const certs = await writeNodeCertificate(join(dir, node), await issueNodeCertificate(pki, node));
  const signer = new CertSigner({ pki, validityMs: 120_000, burst: 2, log: testLog("certsigner") });
  const cloud = await startCloud(pki, [signer]);
  const link = (await rawLink(cloud.port, certs, `/p1/${node}/events`)) as RawLink;
  try {
    const other = await ask(link, (await createNodeCsr("edge-victim")).csr);
    assert.is(other.route.operation, "error");
    assert.match(String(other.content), `is for "CN=edge-victim", expected "CN=${node}"`);
    const own = await ask(link, (await createNodeCsr(node)).csr);
    assert.is(own.route.operation, "response");
    assert.is(new X509Certificate((own.content as { cert: string }).cert).subject, `CN=${node}`);
    const third = await ask(link, (await createNodeCsr(node)).csr);
    assert.is(third.route.operation, "error");
    assert.match(String(third.content), "too often");
    assert.equal(signer.counts, { signed: 1, refused: 2 });
    assert.equal(cloud.hub.connectedNodes(), [node], "a refused request leaves the link up");
  } finally {
    link.ws.close();
    await cloud.stop();
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
