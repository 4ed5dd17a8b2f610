import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tls from "node:tls";
import type { AddressInfo } from "node:net";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ensureCloudPki, issueNodeCertificate, writeNodeCertificate, type CloudPki, type NodeCertificateBundle } from "../../lib/pki/index.ts";
import { silentLogger } from "../../lib/log/index.ts";

const dir = mkdtempSync(join(tmpdir(), "pki-node-"));
const pkiAt = (name: string) => ensureCloudPki(
  { ca: join(dir, name, "ca.crt"), caKey: join(dir, name, "ca.key"), cert: join(dir, name, "server.crt"), key: join(dir, name, "server.key") },
  { log: silentLogger },
);

/** Runs one mutual-TLS handshake against a server made from `pki`; resolves with what the server saw. */
async function handshake(pki: CloudPki, client: NodeCertificateBundle): Promise<{ authorized: boolean; cn?: string; error?: string }> {
  const server = tls.createServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert, requestCert: true, rejectUnauthorized: false });
  const seen = new Promise<{ authorized: boolean; cn?: string; error?: string }>((resolve) => {
    server.once("secureConnection", (s: tls.TLSSocket) => {
      const cert = s.getPeerCertificate();
      resolve({ authorized: s.authorized, cn: String(cert?.subject?.CN), error: s.authorizationError ? String(s.authorizationError) : undefined });
      s.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const socket = tls.connect({ host: "127.0.0.1", port, cert: client.cert, key: client.key, ca: client.ca });
  await new Promise<void>((resolve, reject) => {
    socket.once("secureConnect", () => resolve());
    socket.once("error", reject);
  });
  assert.ok(socket.authorized, `client trusts the server certificate: ${socket.authorizationError}`);
  const result = await seen;
  socket.destroy();
  await new Promise((r) => server.close(r));
  return result;
}

test("issueNodeCertificate() issues a clientAuth certificate with CN = node name that node:tls accepts both ways", async () => {
  const pki = await pkiAt("a");
  const bundle = await issueNodeCertificate(pki, "edge-1");
  const cert = new X509Certificate(bundle.cert);
  assert.is(cert.subject, "CN=edge-1");
  assert.ok(cert.keyUsage?.includes("1.3.6.1.5.5.7.3.2"), "clientAuth EKU");
  assert.is(bundle.ca, pki.caCert);
  const seen = await handshake(pki, bundle);
  assert.equal(seen, { authorized: true, cn: "edge-1", error: undefined });
});

test("issueNodeCertificate() certificates from another CA are not authorized by the server", async () => {
  const pki = await pkiAt("b");
  const other = await pkiAt("c");
  const foreign = await issueNodeCertificate(other, "edge-1");
  const seen = await handshake(pki, { ...foreign, ca: pki.caCert });
  assert.is(seen.authorized, false);
  assert.ok(seen.error);
});

test("issueNodeCertificate() rejects a name that is not a node name", async () => {
  const pki = await pkiAt("d");
  for (const bad of ["Edge_1", "", "a,CN=admin", "-x"]) {
    try {
      await issueNodeCertificate(pki, bad);
      assert.unreachable(bad);
    } catch (e) {
      assert.instance(e, TypeError);
    }
  }
});

test("writeNodeCertificate() writes ca.crt, node.crt and node.key (0600)", async () => {
  const pki = await pkiAt("e");
  const bundle = await issueNodeCertificate(pki, "edge-2");
  const out = join(dir, "out", "certs");
  const paths = await writeNodeCertificate(out, bundle);
  assert.is(readFileSync(join(out, "node.crt"), "utf8"), bundle.cert);
  assert.is(readFileSync(join(out, "ca.crt"), "utf8"), pki.caCert);
  for (const f of [paths.key, paths.cert, paths.ca]) assert.is(statSync(f).mode & 0o777, 0o600, f);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
