import { createHash, generateKeyPairSync, X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { silentLogger } from "../../lib/log/index.ts";
import { caCertHash, createNodeCsr, CsrError, ensureCloudPki, issuedAtMs, signNodeCsr, type CloudPki } from "../../lib/pki/index.ts";

const dir = mkdtempSync(join(tmpdir(), "pki-csr-"));
let pki: CloudPki;

test.before(async () => {
  pki = await ensureCloudPki(
    { ca: join(dir, "ca.crt"), caKey: join(dir, "ca.key"), cert: join(dir, "server.crt"), key: join(dir, "server.key") },
    { log: silentLogger },
  );
});
test.after(() => rmSync(dir, { recursive: true, force: true }));

test("a node's CSR is signed for that node only, with its own key, for a year by default", async () => {
  const { key, csr } = await createNodeCsr("edge-a");
  assert.not.match(csr, /PRIVATE KEY/);
  const { cert, ca } = await signNodeCsr(pki, csr, "edge-a");
  const x = new X509Certificate(cert);
  assert.is(x.subject, "CN=edge-a");
  assert.ok(x.checkPrivateKey((await import("node:crypto")).createPrivateKey(key)), "certificate holds the node's key");
  assert.ok(x.verify(new X509Certificate(ca).publicKey), "signed by the cloud CA");
  const days = (Date.parse(x.validTo) - Date.now()) / 86_400_000;
  assert.ok(days > 364 && days < 366, `valid for about a year, got ${days}`);
  assert.is(x.keyUsage?.includes("1.3.6.1.5.5.7.3.2"), true, "client authentication");
  const short = new X509Certificate((await signNodeCsr(pki, csr, "edge-a", { validityMs: 2 * 86_400_000 })).cert);
  assert.ok(Date.parse(short.validTo) - Date.now() < 3 * 86_400_000);
});

test("issuedAtMs() finds when a certificate was signed, for short and long lifetimes alike", async () => {
  const { csr } = await createNodeCsr("edge-a");
  for (const validityMs of [60_000, 5 * 3_600_000, 10 * 3_600_000, 11 * 3_600_000, 365 * 86_400_000]) {
    const before = Date.now();
    const x = new X509Certificate((await signNodeCsr(pki, csr, "edge-a", { validityMs })).cert);
    const after = Date.now();
    const at = issuedAtMs(Date.parse(x.validFrom), Date.parse(x.validTo));
    // never later than the signing (a revocation right before it must refuse it), at most ~2 s earlier
    assert.ok(at <= after && at >= before - 2_100, `lifetime ${validityMs} ms: issued ${at - before} ms from the call`);
  }
});

test("a CSR for another node, a forged or foreign request, and junk are refused with a reason", async () => {
  const { csr } = await createNodeCsr("edge-a");
  await refused(() => signNodeCsr(pki, csr, "edge-b"), /expected "CN=edge-b"/);
  // one byte of the signature changed: the sender does not prove it holds the key
  const der = Buffer.from(csr.replace(/-----[^-]+-----|\s/g, ""), "base64");
  der[der.length - 3] ^= 0xff;
  const forged = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString("base64")}\n-----END CERTIFICATE REQUEST-----\n`;
  await refused(() => signNodeCsr(pki, forged, "edge-a"), /signature|PKCS#10/);
  await refused(() => signNodeCsr(pki, "hello", "edge-a"), /not a PEM PKCS#10/);
  await refused(() => signNodeCsr(pki, "x".repeat(20_000), "edge-a"), /at most 16384 bytes/);
  await refused(() => signNodeCsr(pki, csr, "Bad_Name"), /not a valid node name/);
  await refused(() => signNodeCsr(pki, 42 as unknown as string, "edge-a"), /PEM string/);
});

test("the CA hash is the SHA-256 of its public key, as kubeadm pins it", () => {
  const x = new X509Certificate(pki.caCert);
  const want = createHash("sha256").update(x.publicKey.export({ type: "spki", format: "der" })).digest("hex");
  assert.is(caCertHash(pki.caCert), `sha256:${want}`);
  const other = generateKeyPairSync("ec", { namedCurve: "P-256" });
  assert.is.not(createHash("sha256").update(other.publicKey.export({ type: "spki", format: "der" })).digest("hex"), want);
  assert.throws(() => caCertHash("nope"), /not a PEM certificate/);
});

async function refused(run: () => Promise<unknown>, why: RegExp): Promise<void> {
  try {
    await run();
  } catch (err) {
    assert.instance(err, CsrError);
    assert.match((err as Error).message, why);
    return;
  }
  assert.unreachable(`expected a refusal matching ${why}`);
}

test.run();
