import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:tls";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { startServerCertRotation } from "../../lib/cloud/server_cert_rotation.ts";
import { ensureCloudPki } from "../../lib/pki/index.ts";
import { nodeCerts, type RawLink, rawLink, startCloud, startEdge, testLog } from "../fixtures/link_env.ts";
import { startTestApiServer } from "../support/apiserver.ts";
import { waitUntil } from "../support/process.ts";

const dir = mkdtempSync(join(tmpdir(), "server-rotation-"));
const paths = { ca: join(dir, "pki", "ca.crt"), caKey: join(dir, "pki", "ca.key"), cert: join(dir, "pki", "server.crt"), key: join(dir, "pki", "server.key") };
// cloud.yaml allows no server certificate under a minute; the PKI takes any lifetime, so this one is due after ~7 s
const pki = await ensureCloudPki(paths, { certValidityMs: 10_000, log: testLog("pki") });
const serialOf = (pem: string | Buffer) => new X509Certificate(pem).serialNumber;

/** The serial of the certificate a TLS server on `port` presents now (not verified: only looked at). */
function servedSerial(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: "127.0.0.1", port, rejectUnauthorized: false }, () => {
      resolve(s.getPeerCertificate().serialNumber);
      s.end();
    });
    s.once("error", reject);
  });
}

test("cloudhub's server certificate is re-issued before expiry and served to new links while linked nodes stay up", async () => {
  const first = serialOf(pki.serverCert);
  const cloud = await startCloud(pki);
  const certs = await nodeCerts(pki, dir, "edge-1");
  const edge = await startEdge({ node: "edge-1", port: cloud.port, certs, dir });
  const rotation = startServerCertRotation({
    pki, paths, hosts: [], validityMs: 120_000, retryMinMs: 100,
    targets: [{ name: "cloudhub", setServingCertificate: (p) => cloud.hub.setServingCertificate(p) }],
    log: testLog("rotation"),
  });
  try {
    await waitUntil(() => cloud.hub.connectedNodes().includes("edge-1"), 10_000, "edge linked");
    assert.is(await servedSerial(cloud.port), first.toUpperCase());
    await waitUntil(() => rotation.rotations === 1, 20_000, "server certificate renewed");
    const onDisk = readFileSync(paths.cert);
    assert.is.not(serialOf(onDisk), first, "new certificate written");
    assert.is(statSync(paths.key).mode & 0o777, 0o600);
    assert.is(await servedSerial(cloud.port), serialOf(onDisk).toUpperCase(), "served without a restart");
    // the old certificate expires; a node verifying the cloud still gets in, and the linked one never dropped
    await waitUntil(() => Date.now() > Date.parse(new X509Certificate(pki.serverCert).validTo) + 1000, 20_000, "first certificate expired");
    const late = (await rawLink(cloud.port, await nodeCerts(pki, dir, "edge-2"), "/p1/edge-2/events")) as RawLink;
    assert.is(typeof late, "object", "a new node verifies the renewed certificate");
    late.ws.close();
    assert.is(edge.hub.counters.connects, 1, "linked edge never reconnected");
    assert.is(edge.hub.state, "connected");
  } finally {
    rotation.stop();
    await edge.stop();
    await cloud.stop();
  }
});

test("the embedded API serves a swapped certificate from the next connection on", async () => {
  const server = await startTestApiServer();
  try {
    const before = await servedSerial(server.api.port);
    const pair = { cert: readFileSync(paths.cert, "utf8"), key: readFileSync(paths.key, "utf8") };
    assert.ok(server.api.setServingCertificate(pair));
    assert.is(await servedSerial(server.api.port), serialOf(pair.cert).toUpperCase());
    assert.is.not(before, serialOf(pair.cert).toUpperCase());
  } finally {
    await server.close();
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
