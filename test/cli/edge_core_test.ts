import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VERSION } from "../../lib/version.ts";
import { ROOT, runToEnd, tsArgs } from "../support/process.ts";

const edge = (...args: string[]) => runToEnd(...tsArgs(join(ROOT, "cmd/edge_core.ts"), ...args));

test("edge_core --version prints the package version", async () => {
  const r = await edge("--version");
  assert.is(r.code, 0);
  assert.is(r.stdout, `edge_core ${VERSION}\n`);
  assert.is(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version, VERSION, "lib/version.ts matches package.json");
});

test("edge_core --help prints usage", async () => {
  const r = await edge("--help");
  assert.is(r.code, 0);
  assert.match(r.stdout, /^Usage: edge_core --config FILE/);
});

test("edge_core exits 2 with one line for a bad flag, a missing --config and a bad config", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ke-cli-"));
  try {
    const bad = join(dir, "edge.yaml");
    writeFileSync(bad, "eventBus:\n  mode: intrnal\n");
    const cases: [string[], string | RegExp][] = [
      [["--bogus"], /^edge_core: Unknown option '--bogus'\.[^\n]* \(see --help\)\n$/],
      [[], "edge_core: --config FILE is required (see --help)\n"],
      [["--config", bad], 'edge_core: edge.yaml: eventBus.mode: expected one of internal, external, both, got "intrnal"\n'],
      [["--config", bad, "--log-level", "loud"], 'edge_core: --log-level: expected one of debug, info, warn, error, got "loud"\n'],
    ];
    for (const [args, stderr] of cases) {
      const r = await edge(...args);
      assert.is(r.code, 2, args.join(" "));
      if (typeof stderr === "string") assert.is(r.stderr, stderr);
      else assert.match(r.stderr, stderr);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
