/**
 * Hostile config files: values of the wrong type, node names that are paths, a 10 MB node name, and numbers far out
 * of range must stop edge_core and cloud_core before anything starts, with exit code 2 and one short line that names
 * the file and the key, the way every other bad value does.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT, runToEnd, tsArgs } from "../support/process.ts";

type Case = { program: "edge_core" | "cloud_core"; yaml: string; key: string };

const cases: Case[] = [
  { program: "edge_core", yaml: "nodeName: 5\n", key: "nodeName" },
  { program: "edge_core", yaml: "dataDir: 12\n", key: "dataDir" },
  { program: "edge_core", yaml: "edgeHub:\n  tls:\n    ca: 42\n", key: "edgeHub.tls.ca" },
  { program: "edge_core", yaml: 'nodeName: "Bad_Node/../x"\n', key: "nodeName" },
  { program: "edge_core", yaml: `nodeName: ${"n".repeat(10 * 1024 * 1024)}\n`, key: "nodeName" },
  { program: "edge_core", yaml: "eventBus:\n  internal:\n    username: dev\n    passwordFile: /nonexistent/pass\n", key: "eventBus.internal.passwordFile" },
  { program: "cloud_core", yaml: "cloudHub:\n  maxFrameBytes: 99999999999999\n", key: "cloudHub.maxFrameBytes" },
  { program: "cloud_core", yaml: "cloudHub:\n  keepaliveTimeout: 0\n", key: "cloudHub.keepaliveTimeout" },
  { program: "cloud_core", yaml: "dataDir: 12\n", key: "dataDir" },
];

test("edge_core and cloud_core exit 2 with one short line naming file and key for hostile config values", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sec-config-"));
  try {
    for (const [i, c] of cases.entries()) {
      const file = join(dir, `bad${i}.yaml`);
      writeFileSync(file, c.yaml);
      // with a data folder that must not be created: nothing starts before the config is checked
      const r = await runToEnd(...tsArgs(join(ROOT, `cmd/${c.program}.ts`), "--config", file), { timeoutMs: 60_000 });
      const what = `${c.program} with ${JSON.stringify(c.yaml.slice(0, 60))}`;
      assert.is(r.code, 2, `${what}: exit code (stderr: ${r.stderr.slice(0, 300)})`);
      assert.ok(r.stderr.startsWith(`${c.program}: bad${i}.yaml: ${c.key}: expected `), `${what}: ${r.stderr.slice(0, 300)}`);
      assert.is(r.stderr.split("\n").length, 2, `${what}: one line`);
      assert.ok(r.stderr.length < 500, `${what}: ${r.stderr.length} characters`);
      assert.is(r.stdout, "");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
