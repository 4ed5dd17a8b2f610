import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildTar } from "../../../../lib/edge/edged/runtime/_tar.ts";

test("buildTar() writes an archive GNU tar extracts with files, modes, directories and symlinks", () => {
  const dir = mkdtempSync(join(tmpdir(), "tar-test-"));
  try {
    const long = `${"d".repeat(60)}/${"e".repeat(60)}/file.txt`;
    const tar = buildTar([
      { type: "dir", path: "bin", mode: 0o755 },
      { type: "file", path: "bin/tool", mode: 0o750, data: Buffer.from("#!/bin/sh\n") },
      { type: "symlink", path: "bin/sh", target: "tool" },
      { type: "dir", path: "tmp", mode: 0o1777 },
      { type: "file", path: long, mode: 0o644, data: Buffer.alloc(1000, 65) },
    ]);
    assert.is(tar.length % 512, 0);
    writeFileSync(join(dir, "a.tar"), tar);
    execFileSync("tar", ["-xpf", "a.tar", "--no-same-owner"], { cwd: dir });
    assert.is(readFileSync(join(dir, "bin/tool"), "utf8"), "#!/bin/sh\n");
    assert.is(statSync(join(dir, "bin/tool")).mode & 0o7777, 0o750);
    assert.is(readlinkSync(join(dir, "bin/sh")), "tool");
    assert.is(statSync(join(dir, "tmp")).mode & 0o7777, 0o1777);
    assert.is(readFileSync(join(dir, long)).length, 1000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("buildTar() refuses a path ustar cannot hold", () => {
  assert.throws(() => buildTar([{ type: "file", path: "x".repeat(200), mode: 0o644, data: new Uint8Array() }]), /too long/);
});

test.run();
