/**
 * The test runner itself (`test/run.ts`), on the files of `test/fixtures/runner`: a skip is counted and its reason
 * printed, a failure fails the run, and a file that exits 0 without a summary is a failure, not a pass.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runToEnd } from "./support/process.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

test("the runner counts skips with their reasons, failures, and a file without a summary as failed", async () => {
  const r = await runToEnd(process.execPath, ["--import", "tsx", join(root, "test/run.ts")], {
    cwd: root,
    env: { ...process.env, TEST_DIR: "test/fixtures/runner", CI: "" },
    timeoutMs: 60_000,
  });
  const out = r.stdout + r.stderr;
  assert.is.not(r.code, 0, out);
  assert.match(out, /^ok   test\/fixtures\/runner\/skips_test\.ts \(1 passed, 0 failed, 1 skipped/m);
  assert.match(out, /skipped: the widget is not installed here/);
  assert.match(out, /^FAIL test\/fixtures\/runner\/fails_test\.ts \(1 passed, 1 failed/m);
  assert.match(out, /^FAIL test\/fixtures\/runner\/silent_test\.ts \(0 passed, 1 failed, [\d.]+ s\): exited 0 without a test summary/m);
  // the closing line, alone on its line, as CI reads it
  assert.match(out, /^2 passed, 2 failed, 1 skipped$/m);
});

test.run();
