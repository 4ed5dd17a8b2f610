import { createWriteStream, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { TarWriter } from "../../cross/image/tar_writer.ts";
import { runCommand } from "../../cross/run_command.ts";

const dir = mkdtempSync(join(tmpdir(), "build-tar-test-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const longName = `deep/${"d".repeat(120)}/file-with-a-long-name.txt`;

async function writeSample(path: string): Promise<void> {
  const source = join(dir, "source.bin");
  writeFileSync(source, Buffer.alloc(70_000, 7));
  const tar = new TarWriter(createWriteStream(path));
  await tar.directory("etc");
  await tar.file("etc/passwd", Buffer.from("nonroot:x:65532:65532::/home/nonroot:/sbin/nologin\n"));
  await tar.directory("data", { uid: 65532, gid: 65532, mode: 0o700 });
  await tar.directory("tmp", { mode: 0o1777 });
  await tar.fileFrom("bin/tool", source, { mode: 0o755 });
  await tar.file(longName, Buffer.from("long\n"));
  await tar.symlink("lib64/ld.so", "../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
  await tar.finish();
}

test("TarWriter writes an archive GNU tar lists with owners, modes and long names", async () => {
  const path = join(dir, "a.tar");
  await writeSample(path);
  const r = await runCommand("tar", ["--numeric-owner", "-tvf", path]);
  const lines = r.stdout.trim().split("\n");
  assert.match(lines[0], /^drwxr-xr-x 0\/0 .* etc\/$/);
  assert.match(lines.find((l) => l.endsWith(" data/"))!, /^drwx------ 65532\/65532 /);
  assert.match(lines.find((l) => l.endsWith(" tmp/"))!, /^drwxrwxrwt /);
  assert.match(lines.find((l) => l.endsWith(" bin/tool"))!, /^-rwxr-xr-x 0\/0 +70000 1970-01-01 /);
  assert.ok(lines.some((l) => l.endsWith(` ${longName}`)), `no ${longName} in\n${r.stdout}`);
  assert.ok(lines.some((l) => l.endsWith("lib64/ld.so -> ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")));
});

test("TarWriter contents come back byte for byte when GNU tar extracts them", async () => {
  const path = join(dir, "b.tar");
  await writeSample(path);
  const out = join(dir, "out");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await runCommand("tar", ["-xf", path, "-C", out]);
  assert.equal(readFileSync(join(out, "bin/tool")), readFileSync(join(dir, "source.bin")));
  assert.is(readFileSync(join(out, longName), "utf8"), "long\n");
  assert.is(readlinkSync(join(out, "lib64/ld.so")), "../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
  assert.is(lstatSync(join(out, "bin/tool")).mode & 0o777, 0o755);
});

test("TarWriter writes the same bytes for the same input", async () => {
  await writeSample(join(dir, "c1.tar"));
  await writeSample(join(dir, "c2.tar"));
  assert.ok(readFileSync(join(dir, "c1.tar")).equals(readFileSync(join(dir, "c2.tar"))));
});

test.run();
