import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeRunBundle } from "../../cross/armv6/run_bundle.ts";
import { onPath } from "../../cross/host_tools.ts";
import { runCommand } from "../../cross/run_command.ts";
import { requireTool } from "../support/skip.ts";

// A stand-in runtime: bin/node is a script that shows its arguments and reads a file through fd 9, as the real
// runtime's loader and builtins do, so the launcher is tested here without qemu.
const dir = mkdtempSync(join(tmpdir(), "build-run-bundle-test-"));
const runtime = join(dir, "runtime");
mkdirSync(join(runtime, "bin"), { recursive: true });
mkdirSync(join(runtime, "s"), { recursive: true });
writeFileSync(join(runtime, "bin/node"), '#!/bin/sh\necho "app=${1##*/} args=$2 $3"\ncat /proc/self/fd/9/s/marker\n');
chmodSync(join(runtime, "bin/node"), 0o755);
writeFileSync(join(runtime, "s/marker"), "found through fd 9\n");
writeFileSync(join(dir, "app.cjs"), "// program\n");
const bundle = join(dir, "edge_core-linux-armv6");
const info = { program: "edge_core", version: "0.1.0", arch: "armv6", runtime: "test runtime" };

test.after(() => rmSync(dir, { recursive: true, force: true }));

test("writeRunBundle writes an executable that unpacks once and runs the runtime with the bundle and arguments", async () => {
  const sizes = await writeRunBundle({ runtimeDir: runtime, app: join(dir, "app.cjs") }, bundle, info);
  assert.ok(sizes.bytes > 1000 && sizes.unpackedBytes > 0);
  const unpack = join(dir, "unpack");
  const env = { PATH: process.env.PATH, KUBEEDGE_TS_UNPACK_DIR: unpack };
  const first = await runCommand(bundle, ["--config", "edge.yaml"], { env });
  assert.is(first.stdout, "app=app.cjs args=--config edge.yaml\nfound through fd 9\n");
  const [unpacked] = readdirSync(unpack);
  assert.match(unpacked, /^edge_core-0\.1\.0-[0-9a-f]{12}$/);
  assert.ok(existsSync(join(unpack, unpacked, ".complete")));
  rmSync(join(unpack, unpacked, "app.cjs"));
  const second = await runCommand(bundle, ["--version"], { env });
  assert.is(second.stdout, "app=app.cjs args=--version \nfound through fd 9\n", "a second run must not unpack again");
});

test("writeRunBundle's launcher runs under busybox sh", async () => {
  const busybox = requireTool("busybox", ["busybox", "/bin/busybox"].find((b) => (b.startsWith("/") ? existsSync(b) : onPath(b))));
  if (!busybox) return;
  const env = { PATH: process.env.PATH, KUBEEDGE_TS_UNPACK_DIR: join(dir, "unpack-busybox") };
  const r = await runCommand(busybox, ["sh", bundle, "--help"], { env });
  assert.is(r.stdout, "app=app.cjs args=--help \nfound through fd 9\n");
});

test("writeRunBundle's launcher says where it failed to unpack", async () => {
  const blocked = join(dir, "blocked");
  writeFileSync(blocked, "a file, not a folder\n");
  const err = await runCommand(bundle, [], { env: { PATH: process.env.PATH, KUBEEDGE_TS_UNPACK_DIR: join(blocked, "x") } }).catch((e: Error) => e);
  assert.instance(err, Error);
  assert.match((err as Error).message, /exit code [1-9]/);
});

test.run();
