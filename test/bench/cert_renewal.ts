/**
 * What one node certificate renewal costs: on the edge, a new key and CSR (`createNodeCsr`); on the cloud, checking
 * and signing it (`signNodeCsr`). Both run in this one process against a fresh CA in a temp folder.
 *
 * Run: `node --import tsx test/bench/cert_renewal.ts [renewals=100]`
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "../../lib/log/index.ts";
import { createNodeCsr, ensureCloudPki, signNodeCsr } from "../../lib/pki/index.ts";

const RENEWALS = Number(process.argv[2] ?? 100);
const dir = mkdtempSync(join(tmpdir(), "bench-renewal-"));
try {
  const pki = await ensureCloudPki(
    { ca: join(dir, "ca.crt"), caKey: join(dir, "ca.key"), cert: join(dir, "server.crt"), key: join(dir, "server.key") },
    { log: silentLogger },
  );
  await signNodeCsr(pki, (await createNodeCsr("warm-up")).csr, "warm-up");
  let edgeMs = 0, cloudMs = 0;
  for (let i = 0; i < RENEWALS; i++) {
    const t0 = performance.now();
    const { csr } = await createNodeCsr(`edge-${i}`);
    const t1 = performance.now();
    await signNodeCsr(pki, csr, `edge-${i}`);
    const t2 = performance.now();
    edgeMs += t1 - t0;
    cloudMs += t2 - t1;
  }
  console.log(`renewals ${RENEWALS}, load average ${loadavg()[0].toFixed(1)}`);
  console.log("| step | mean ms per renewal |\n| --- | --- |");
  console.log(`| edge: new P-256 key and CSR (createNodeCsr) | ${(edgeMs / RENEWALS).toFixed(1)} |`);
  console.log(`| cloud: check and sign the CSR (signNodeCsr) | ${(cloudMs / RENEWALS).toFixed(1)} |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
