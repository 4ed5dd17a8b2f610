import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureCloudPki, issueNodeCertificate, writeNodeCertificate } from "../../lib/pki/index.ts";
import { openStore } from "../../lib/store/index.ts";
import { ROOT, startBackground, tsArgs } from "../support/process.ts";

const dir = mkdtempSync(join(tmpdir(), "ke-shutdown-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  test(`edge_core stops cleanly within 5 s on ${signal} and leaves its store consistent`, async () => {
    const data = join(dir, signal);
    const config = join(dir, `${signal}.yaml`);
    // no cloud and no engine: the process must still start, and stop on the signal
    writeFileSync(config, [
      "nodeName: shutdown-node",
      `dataDir: ${data}`,
      "edgeHub:",
      "  server: 127.0.0.1:9",
      "edged:",
      "  enable: false",
      "eventBus:",
      "  internal:",
      "    address: 127.0.0.1:0",
      "",
    ].join("\n"));
    const pki = await ensureCloudPki({ ca: join(dir, "ca.crt"), caKey: join(dir, "ca.key"), cert: join(dir, "server.crt"), key: join(dir, "server.key") });
    await writeNodeCertificate(join(data, "certs"), await issueNodeCertificate(pki, "shutdown-node"));
    const edge = startBackground(...tsArgs(join(ROOT, "cmd/edge_core.ts"), "--config", config));
    await edge.waitFor(/edge_core started/, 30_000);
    const sent = Date.now();
    const exit = await edge.kill(signal);
    const tookMs = Date.now() - sent;
    assert.is(exit.code, 0, edge.output());
    assert.ok(tookMs < 5000, `took ${tookMs} ms`);
    assert.match(edge.output(), new RegExp(`shutting down signal=${signal}`));
    assert.match(edge.output(), /\] stopped$/m);
    const store = await openStore(join(data, "edge.db"));
    assert.equal(store.get("PRAGMA integrity_check"), { integrity_check: "ok" });
    await store.close();
  });
}

test.run();
