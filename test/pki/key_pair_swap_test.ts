import { X509Certificate, createPrivateKey } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { issueNodeCertificate, recoverKeyPair, replaceKeyPair, writeNodeCertificate } from "../../lib/pki/index.ts";
import { makePki } from "../fixtures/link_env.ts";

const dir = mkdtempSync(join(tmpdir(), "key-swap-"));
const pki = await makePki(dir);
const paths = await writeNodeCertificate(join(dir, "certs"), await issueNodeCertificate(pki, "edge-s"));
const fits = () => new X509Certificate(readFileSync(paths.cert)).checkPrivateKey(createPrivateKey(readFileSync(paths.key)));

test("replaceKeyPair() installs a new pair, 0600, and leaves no staged file", async () => {
  const next = await issueNodeCertificate(pki, "edge-s");
  await replaceKeyPair(paths, next);
  assert.is(readFileSync(paths.cert, "utf8"), next.cert);
  assert.ok(fits());
  for (const f of [paths.cert, paths.key]) assert.is(statSync(f).mode & 0o777, 0o600);
  assert.is(await recoverKeyPair(paths), false, "nothing staged");
});

test("recoverKeyPair() finishes a replacement a crash cut between the key and the certificate", async () => {
  const next = await issueNodeCertificate(pki, "edge-s");
  // the crash: staged pair written, new key in place, certificate still the old one
  writeFileSync(`${paths.key}.next`, `${next.key}${next.cert}`, { mode: 0o600 });
  writeFileSync(paths.key, next.key, { mode: 0o600 });
  assert.not.ok(fits(), "key and certificate disagree before recovery");
  assert.is(await recoverKeyPair(paths), true);
  assert.ok(fits());
  assert.is(new X509Certificate(readFileSync(paths.cert)).serialNumber, new X509Certificate(next.cert).serialNumber);
});

test("recoverKeyPair() refuses a staged file without a pair, naming it", async () => {
  writeFileSync(`${paths.key}.next`, "garbage", { mode: 0o600 });
  try {
    await recoverKeyPair(paths);
    assert.unreachable("accepted");
  } catch (err) {
    assert.match((err as Error).message, `"${paths.key}.next" holds no key and certificate`);
  }
  assert.ok(fits(), "current pair untouched");
  rmSync(`${paths.key}.next`);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
