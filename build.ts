#!/usr/bin/env -S node --import tsx
/**
 * Builds the single binaries of edge_core and cloud_core for each target, the SHA-256 list, and optionally the
 * cloud_core container image. Each target is built and smoke-run on its own: a failing one says why and the others
 * go on; the exit code is 1 when any failed. A target whose runtime cannot be downloaded from this machine is
 * *unavailable*, reported with its reason, and does not fail the run. Methods per target: cross/<arch>.md.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { createReadStream, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { BuildSession } from "./cross/build_session.ts";
import { ensureHostTools } from "./cross/host_tools.ts";
import { buildCloudImage } from "./cross/image/cloud_image.ts";
import { smokeRun } from "./cross/smoke.ts";
import { ARCHES, type Arch, type Program, PROGRAMS, TARGETS } from "./cross/targets.ts";
import { TargetUnavailableError, UNAVAILABLE_MARK } from "./cross/unavailable.ts";
import { createLogger } from "./lib/log/index.ts";
import { VERSION } from "./lib/version.ts";

const usage = `Usage: node --import tsx build.ts [--arch ARCH]... [--target edge|cloud|all] [--image] [--no-smoke] [--out DIR]

Builds edge_core-linux-<arch> and cloud_core-linux-<arch> into DIR with a SHA256SUMS list, and smoke-runs each
(natively, or under qemu-user for ARM). Exits 1 when a target failed; a target whose runtime cannot be downloaded
here is listed as UNAVAILABLE with its reason and does not fail the run.

Options:
  --arch ARCH     x64, arm64, armv7, armv6, arm (armv7 and armv6) or all; repeat or comma-separate for several
                  (default x64, or none when only --image is given)
  --target T      edge, cloud or all (default all)
  --image         also write cloud_core-image-linux-x64.tar, a container image archive for docker load
  --no-smoke      do not run the binaries after building them (--smoke, the default, runs --version and --help;
                  a binary that fails it is removed)
  --out DIR       output folder (default dist/ in the repository)
  -h, --help      this text
`;

const ROOT = fileURLToPath(new URL(".", import.meta.url));
const IMAGE_FILE = "cloud_core-image-linux-x64.tar";
const ARCH_GROUPS: Record<string, Arch[]> = { all: [...ARCHES], arm: ["armv7", "armv6"] };
const TARGET_GROUPS: Record<string, Program[]> = { all: [...PROGRAMS], edge: ["edge_core"], cloud: ["cloud_core"] };

/** How a target ended: built (and smoke-run), failed, or unavailable on this machine (cross/unavailable.ts). */
type Status = "ok" | "failed" | "unavailable";

/** One line of the final summary. */
type Outcome = { name: string; method: string; status: Status; bytes?: number; buildMs: number; smokeMs?: number; error?: string };

function fail(message: string): never {
  process.stderr.write(`build: ${message}\n`);
  process.exit(2);
}

function parse() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        arch: { type: "string", multiple: true },
        target: { type: "string", default: "all" },
        image: { type: "boolean", default: false },
        smoke: { type: "boolean", default: true },
        "no-smoke": { type: "boolean", default: false },
        out: { type: "string", default: join(ROOT, "dist") },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    fail(`${(e as Error).message} (see --help)`);
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  const names = (v.arch ?? (v.image ? [] : ["x64"])).flatMap((a) => a.split(",")).filter(Boolean);
  const arches = new Set<Arch>();
  for (const a of names) {
    const group = ARCH_GROUPS[a] ?? ((ARCHES as readonly string[]).includes(a) ? [a as Arch] : undefined);
    if (!group) fail(`--arch: expected one of ${[...ARCHES, "arm", "all"].join(", ")}, got ${JSON.stringify(a)}`);
    for (const g of group) arches.add(g);
  }
  const programs = TARGET_GROUPS[v.target!];
  if (!programs) fail(`--target: expected edge, cloud or all, got ${JSON.stringify(v.target)}`);
  return {
    arches: ARCHES.filter((a) => arches.has(a)),
    programs,
    image: v.image!,
    smoke: v.smoke! && !v["no-smoke"],
    out: resolve(v.out!),
  };
}

async function sha256(path: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest("hex");
}

/** The first lines of a failure, on one line, for the summary table (the log has all of it). */
const brief = (message: string) => message.split("\n").map((l) => l.trim()).filter(Boolean).slice(0, 2).join(" / ").slice(0, 240);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function buildOne(s: BuildSession, arch: Arch, program: Program, out: string, smoke: boolean): Promise<Outcome> {
  const target = TARGETS[arch];
  const name = `${program}-linux-${arch}`;
  const file = join(out, name);
  const started = Date.now();
  const outcome: Outcome = { name, method: target.method, status: "failed", buildMs: 0 };
  s.log.info("building", { target: name, method: target.method });
  try {
    await ensureHostTools(target.tools);
    const tmp = `${file}.tmp`;
    await target.build(s, program, tmp);
    renameSync(tmp, file);
    outcome.bytes = statSync(file).size;
    outcome.buildMs = Date.now() - started;
    s.log.info("built", { target: name, size: mb(outcome.bytes), time: secs(outcome.buildMs) });
    if (smoke) {
      const r = await smokeRun(await target.runner(s, file), { program, version: s.version });
      outcome.smokeMs = r.versionMs;
      s.log.info("smoke ok", { target: name, version: s.version, versionTime: secs(r.versionMs), helpTime: secs(r.helpMs) });
    }
    outcome.status = "ok";
  } catch (e) {
    outcome.buildMs ||= Date.now() - started;
    outcome.error = (e as Error).message;
    // neither a binary that failed its smoke run nor a stale one from an earlier build may be listed as good
    rmSync(file, { force: true });
    rmSync(`${file}.tmp`, { force: true });
    if (e instanceof TargetUnavailableError) {
      outcome.status = "unavailable";
      s.log.warn("target unavailable", { target: name, reason: outcome.error });
    } else {
      s.log.error("target failed", { target: name, error: outcome.error });
    }
  }
  return outcome;
}

async function buildImage(s: BuildSession, out: string, done: Outcome[], smoke: boolean): Promise<Outcome> {
  const started = Date.now();
  const outcome: Outcome = { name: IMAGE_FILE, method: "image archive written by build.ts (OCI layout + docker manifest.json)", status: "failed", buildMs: 0 };
  try {
    let binary = done.find((o) => o.name === "cloud_core-linux-x64");
    if (!binary) {
      binary = await buildOne(s, "x64", "cloud_core", out, smoke);
      done.push(binary);
    }
    if (binary.status !== "ok") throw new Error("Cannot build the image: the x64 cloud_core did not build");
    await ensureHostTools(["ldd"]);
    s.log.info("building", { target: IMAGE_FILE });
    const image = await buildCloudImage(join(out, "cloud_core-linux-x64"), join(out, IMAGE_FILE), { version: s.version });
    outcome.bytes = image.bytes;
    outcome.status = "ok";
    s.log.info("built", { target: IMAGE_FILE, size: mb(image.bytes), imageId: image.imageId, files: image.files.length });
  } catch (e) {
    outcome.error = (e as Error).message;
    rmSync(join(out, IMAGE_FILE), { force: true });
    s.log.error("target failed", { target: IMAGE_FILE, error: outcome.error });
  }
  outcome.buildMs = Date.now() - started;
  return outcome;
}

async function writeSums(out: string): Promise<number> {
  const names = readdirSync(out).filter((n) => /^(edge_core|cloud_core)-/.test(n) && !n.endsWith(".tmp")).sort();
  const lines = [];
  for (const n of names) lines.push(`${await sha256(join(out, n))}  ${n}\n`);
  writeFileSync(join(out, "SHA256SUMS"), lines.join(""));
  return names.length;
}

async function main(): Promise<number> {
  const opts = parse();
  const log = createLogger("build");
  mkdirSync(opts.out, { recursive: true });
  const workDir = mkdtempSync(join(tmpdir(), "kubeedge-build-"));
  const s = new BuildSession({ root: ROOT, workDir, version: VERSION, log });
  const started = Date.now();
  const outcomes: Outcome[] = [];
  try {
    for (const arch of opts.arches) {
      for (const program of opts.programs) outcomes.push(await buildOne(s, arch, program, opts.out, opts.smoke));
    }
    if (opts.image) outcomes.push(await buildImage(s, opts.out, outcomes, opts.smoke));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  const listed = await writeSums(opts.out);
  const failed = outcomes.filter((o) => o.status === "failed");
  const unavailable = outcomes.filter((o) => o.status === "unavailable");
  const result = (o: Outcome) =>
    o.status === "ok" ? "ok" : o.status === "unavailable" ? `${UNAVAILABLE_MARK} ${brief(o.error ?? "")}` : `FAILED: ${brief(o.error ?? "")}`;
  process.stdout.write(`\n${"target".padEnd(30)} ${"size".padStart(9)} ${"build".padStart(8)} ${"--version".padStart(9)}  result\n`);
  for (const o of outcomes) {
    const size = o.bytes === undefined ? "-" : mb(o.bytes);
    const smoke = o.smokeMs === undefined ? "-" : secs(o.smokeMs);
    process.stdout.write(`${o.name.padEnd(30)} ${size.padStart(9)} ${secs(o.buildMs).padStart(8)} ${smoke.padStart(9)}  ${result(o)}\n`);
  }
  const built = outcomes.length - failed.length - unavailable.length;
  const notHere = unavailable.length ? `, ${unavailable.length} unavailable here` : "";
  process.stdout.write(`\n${built} built${notHere}, ${failed.length} failed in ${secs(Date.now() - started)}; ${listed} files in ${join(opts.out, "SHA256SUMS")}\n`);
  // An unavailable target is a fact about this machine's package sources, not a defect of the build: failing the
  // run for it would make "--arch all" useless wherever one runtime cannot be downloaded, and hide real failures
  // among expected ones. It is still listed above with its reason.
  return failed.length ? 1 : 0;
}

process.exitCode = await main();
