/**
 * Unpacks Debian packages of another architecture (with their whole dependency closure) into a folder, without
 * touching the host's APT state: a private `APT_CONFIG` with its own sources.list, lists, cache and an empty dpkg
 * status, so `apt-get install --download-only` fetches every dependency. Used for qemu sysroots and for the armv6
 * bundle's Node runtime.
 *
 * @module
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildCacheDir } from "./build_cache.ts";
import { runCommand } from "./run_command.ts";

/** Which packages, from where. */
export type DebianRootSpec = {
  /** Debian suite, e.g. `bookworm` or `trixie`. */
  release: string;
  /** Debian architecture: `arm64`, `armhf`, `armel`. */
  arch: string;
  /** Binary packages to unpack; their dependencies come along. */
  packages: string[];
};

/** An unpacked root and the versions of the packages in it. */
export type DebianRoot = {
  dir: string;
  /** Package name -> Debian version, e.g. `nodejs` -> `20.19.2+dfsg-1+deb13u2`. */
  versions: Record<string, string>;
};

/** Options of {@link debianRoot}. */
export type DebianRootOptions = {
  /** Debian mirror. @default "http://deb.debian.org/debian" */
  mirror?: string;
  /** Cache folder. @default buildCacheDir("debian") */
  cacheDir?: string;
  signal?: AbortSignal;
};

const DEFAULTS = { mirror: "http://deb.debian.org/debian" };
const KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg";

/** `name_version_arch.deb` file names (the version URL-encoded) -> name -> version. */
function versionsOf(debs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of debs) {
    const m = f.match(/^([^_]+)_([^_]+)_[^_]+\.deb$/);
    if (m) out[m[1]] = decodeURIComponent(m[2]);
  }
  return out;
}

function aptConfig(dir: string, spec: DebianRootSpec, mirror: string): string {
  for (const d of ["state/lists/partial", "cache/archives/partial", "etc/apt.conf.d", "etc/preferences.d", "etc/sources.list.d"]) {
    mkdirSync(join(dir, d), { recursive: true });
  }
  writeFileSync(join(dir, "state/status"), "");
  writeFileSync(join(dir, "etc/sources.list"), `deb [arch=${spec.arch} signed-by=${KEYRING}] ${mirror} ${spec.release} main\n`);
  const conf = join(dir, "etc/apt.conf");
  writeFileSync(
    conf,
    [
      `Dir "${dir}/";`,
      `Dir::State "state/";`,
      `Dir::State::status "status";`,
      `Dir::Cache "cache/";`,
      `Dir::Etc "etc/";`,
      `Dir::Etc::SourceList "sources.list";`,
      `Dir::Etc::SourceParts "sources.list.d/";`,
      `Dir::Etc::Parts "apt.conf.d/";`,
      `Dir::Etc::PreferencesParts "preferences.d/";`,
      `APT::Architecture "${spec.arch}";`,
      `APT::Architectures { "${spec.arch}"; };`,
      `APT::Install-Recommends "false";`,
      `APT::Sandbox::User "root";`,
      `Acquire::Languages "none";`,
      "",
    ].join("\n"),
  );
  return conf;
}

/**
 * Returns a folder holding `spec.packages` and everything they depend on, unpacked with `dpkg-deb -x` (no
 * maintainer scripts run). The result is cached by release, architecture and package list.
 *
 * @returns the unpacked root's path and package versions
 * @throws CommandError when APT cannot resolve or download a package
 * @example An armhf sysroot for qemu-arm
 * ```ts
 * const sysroot = await debianRoot({ release: "bookworm", arch: "armhf", packages: ["libstdc++6", "libatomic1"] });
 * ```
 */
export async function debianRoot(spec: DebianRootSpec, options: DebianRootOptions = {}): Promise<DebianRoot> {
  const { mirror } = { ...DEFAULTS, ...options };
  const key = `${spec.release}-${spec.arch}-${[...spec.packages].sort().join("+")}`;
  const base = options.cacheDir ?? buildCacheDir("debian");
  const root = join(base, key);
  const done = join(root, ".done");
  if (existsSync(done)) return { dir: root, versions: versionsOf(readFileSync(done, "utf8").split("\n")) };
  const apt = join(base, `apt-${key}`);
  const env = { ...process.env, APT_CONFIG: aptConfig(apt, spec, mirror), DEBIAN_FRONTEND: "noninteractive" };
  const run = { env, signal: options.signal, timeoutMs: 900_000 };
  await runCommand("apt-get", ["update", "-q"], run);
  await runCommand("apt-get", ["install", "--download-only", "-y", "-q", ...spec.packages], run);
  const archives = join(apt, "cache/archives");
  const tmp = `${root}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    for (const deb of readdirSync(archives).filter((f) => f.endsWith(".deb")).sort()) {
      await runCommand("dpkg-deb", ["-x", join(archives, deb), tmp], { signal: options.signal });
    }
    writeFileSync(join(tmp, ".done"), readdirSync(archives).filter((f) => f.endsWith(".deb")).sort().join("\n") + "\n");
    rmSync(root, { recursive: true, force: true });
    renameSync(tmp, root);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return { dir: root, versions: versionsOf(readFileSync(done, "utf8").split("\n")) };
}
