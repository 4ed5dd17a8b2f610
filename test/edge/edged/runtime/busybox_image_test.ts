import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { busyboxRootfsTar } from "../../../../lib/edge/edged/runtime/index.ts";

test("busyboxRootfsTar() holds busybox, a link per applet, passwd, group and tmp", async () => {
  const dir = mkdtempSync(join(tmpdir(), "bb-test-"));
  try {
    writeFileSync(join(dir, "rootfs.tar"), await busyboxRootfsTar("/bin/busybox"));
    const listing = execFileSync("tar", ["-tvf", "rootfs.tar"], { cwd: dir, encoding: "utf8" });
    assert.match(listing, /bin\/sh -> busybox/);
    assert.match(listing, /bin\/httpd -> busybox/);
    assert.match(listing, /-rwxr-xr-x .* bin\/busybox/);
    assert.match(listing, /etc\/passwd/);
    assert.match(listing, /drwxrwxrwt .* tmp\//);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("busyboxRootfsTar() names the missing binary and the package to install", async () => {
  try {
    await busyboxRootfsTar("/nonexistent/busybox");
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /\/nonexistent\/busybox.*busybox-static/);
  }
});

test.run();
