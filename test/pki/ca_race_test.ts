import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { startBackground, tsArgs } from "../support/process.ts";

// cloud_core starting for the first time and `cloud_core cert` run beside it both create the CA when it is absent:
// they must end with one CA, the one on disk, or the node's certificate is signed by a CA the cloud does not use.

const RACERS = 3;
const ROUNDS = 1;
const sha = (s: string) => createHash("sha256").update(s).digest("hex");

test("ensureCloudPki() in processes racing on an empty folder: one CA and one server certificate, used by all", async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const dir = mkdtempSync(join(tmpdir(), "pki-race-"));
    try {
      const go = join(dir, "go");
      const racers = Array.from({ length: RACERS }, () => startBackground(...tsArgs("test/pki/_ensure_pki_at.ts", join(dir, "pki"), go)));
      // every racer is loaded and polling for the signal before it is given
      await Promise.all(racers.map((p) => p.waitFor(/^ready$/m, 60_000)));
      writeFileSync(go, "");
      const results = await Promise.all(racers.map(async (p) => {
        const { code } = await p.exited();
        assert.is(code, 0, `racer failed:\n${p.output()}`);
        return JSON.parse(p.output().trim().split("\n").pop()!) as { ca: string; server: string };
      }));
      const onDisk = { ca: sha(readFileSync(join(dir, "pki/ca.crt"), "utf8")), server: sha(readFileSync(join(dir, "pki/server.crt"), "utf8")) };
      for (const r of results) assert.equal(r, onDisk, `round ${round}: a racer uses a CA or server certificate that is not the one on disk`);
      assert.equal(readdirSync(join(dir, "pki")).sort(), ["ca.crt", "ca.key", "server.crt", "server.key"], "no temporary files left");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test.run();
