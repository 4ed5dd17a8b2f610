import { X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readLinkTls } from "../../../lib/edge/edgehub/link_tls.ts";
import { issueNodeCertificate, writeNodeCertificate } from "../../../lib/pki/index.ts";
import { makePki } from "../../fixtures/link_env.ts";

const dir = mkdtempSync(join(tmpdir(), "link-tls-"));
const pki = await makePki(dir);
const paths = await writeNodeCertificate(join(dir, "certs"), await issueNodeCertificate(pki, "edge-t"));

test("readLinkTls() finishes a renewal left staged before it reads, so the link dials with the new pair", async () => {
  const next = await issueNodeCertificate(pki, "edge-t");
  writeFileSync(`${paths.key}.next`, `${next.key}${next.cert}`, { mode: 0o600 });
  const tls = await readLinkTls(paths, "edge-t");
  assert.is(new X509Certificate(tls.cert).serialNumber, new X509Certificate(next.cert).serialNumber);
  assert.is(tls.key, next.key);
  assert.not.ok(existsSync(`${paths.key}.next`));
});

test("readLinkTls() refuses a key that does not belong to the certificate, and a certificate for another node", async () => {
  const good = readFileSync(paths.key, "utf8");
  writeFileSync(paths.key, (await issueNodeCertificate(pki, "edge-t")).key);
  try {
    await readLinkTls(paths, "edge-t");
    assert.unreachable("mismatched pair accepted");
  } catch (err) {
    assert.match((err as Error).message, `node key "${paths.key}": it does not belong to certificate`);
  }
  writeFileSync(paths.key, good);
  try {
    await readLinkTls(paths, "edge-u");
    assert.unreachable("other node's certificate accepted");
  } catch (err) {
    assert.match((err as Error).message, 'it is for node "edge-t", not "edge-u"');
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
