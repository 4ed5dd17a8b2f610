import { mkdtempSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ensureCloudPki } from "../../lib/pki/index.ts";
import { silentLogger } from "../../lib/log/index.ts";

const dirs: string[] = [];
function paths() {
  const d = mkdtempSync(join(tmpdir(), "pki-"));
  dirs.push(d);
  return { ca: join(d, "pki/ca.crt"), caKey: join(d, "pki/ca.key"), cert: join(d, "pki/server.crt"), key: join(d, "pki/server.key") };
}

test("ensureCloudPki() creates the CA and server certificate, every file at mode 0600 in a 0700 folder", async () => {
  const p = paths();
  const pki = await ensureCloudPki(p, { hosts: ["10.1.2.3", "cloud.example"], log: silentLogger });
  for (const f of [p.caKey, p.key, p.ca, p.cert]) assert.is(statSync(f).mode & 0o777, 0o600, f);
  assert.is(statSync(dirname(p.ca)).mode & 0o777, 0o700);
  const ca = new X509Certificate(pki.caCert);
  assert.ok(ca.ca);
  const server = new X509Certificate(pki.serverCert);
  assert.ok(server.checkIssued(ca));
  assert.ok(server.verify(ca.publicKey));
  for (const n of ["IP Address:127.0.0.1", "DNS:localhost", "IP Address:10.1.2.3", "DNS:cloud.example"]) {
    assert.ok(server.subjectAltName?.includes(n), `SAN ${n} in ${server.subjectAltName}`);
  }
  assert.ok(/IP Address:0:0:0:0:0:0:0:1|IP Address:::1/.test(server.subjectAltName ?? ""));
});

test("ensureCloudPki() loads existing files instead of creating new ones", async () => {
  const p = paths();
  const first = await ensureCloudPki(p, { log: silentLogger });
  const second = await ensureCloudPki(p, { log: silentLogger });
  assert.is(second.caCert, first.caCert);
  assert.is(second.serverCert, first.serverCert);
  assert.is(second.serverKey, first.serverKey);
});

test("ensureCloudPki() issues a new server certificate from the existing CA when only the server pair is gone", async () => {
  const p = paths();
  const first = await ensureCloudPki(p, { log: silentLogger });
  unlinkSync(p.cert);
  unlinkSync(p.key);
  const second = await ensureCloudPki(p, { log: silentLogger });
  assert.is(second.caCert, first.caCert);
  assert.is.not(second.serverCert, first.serverCert);
  assert.ok(new X509Certificate(second.serverCert).checkIssued(new X509Certificate(first.caCert)));
});

test("ensureCloudPki() fails naming the missing file when a key is gone but its certificate remains", async () => {
  const p = paths();
  await ensureCloudPki(p, { log: silentLogger });
  unlinkSync(p.caKey);
  try {
    await ensureCloudPki(p, { log: silentLogger });
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /Cannot load CA: .*ca\.crt" exists but .*ca\.key" is missing/);
  }
});

test("ensureCloudPki() refuses a CA key that does not belong to the CA certificate", async () => {
  const a = paths();
  const b = paths();
  await ensureCloudPki(a, { log: silentLogger });
  const other = await ensureCloudPki(b, { log: silentLogger });
  writeFileSync(a.caKey, other.caKey);
  try {
    await ensureCloudPki(a, { log: silentLogger });
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /does not belong to certificate/);
    assert.not.match((e as Error).message, /PRIVATE KEY/);
  }
});

test.after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test.run();
