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
import { CommandError, runCommand } from "./run_command.ts";

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

/**
 * Thrown when APT resolved the packages but the mirror does not serve them: every download that failed was an
 * HTTP 404 for a `.deb` of the requested architecture. Any other APT failure stays a {@link CommandError}.
 */
export class DebianPackagesNotServedError extends Error {
  /** Names of the packages the mirror answered 404 for. */
  readonly packages: string[];
  constructor(spec: DebianRootSpec, mirror: string, packages: string[], options?: ErrorOptions) {
    const shown = packages.length > 3 ? `${packages.slice(0, 3).join(", ")} and ${packages.length - 3} more` : packages.join(", ");
    super(`${mirror} does not serve Debian ${spec.release} ${spec.arch} packages (HTTP 404 for ${shown})`, options);
    this.name = "DebianPackagesNotServedError";
    this.packages = packages;
  }
}

// apt-get's closing lines after failed downloads; they add nothing to the per-file lines.
const APT_SUMMARY_ERRORS = [/^E: Some files failed to download$/, /^E: Unable to fetch some archives\b/];

/**
 * Reads `apt-get install --download-only`'s stderr: when every error in it is a 404 for a `_<arch>.deb`, returns
 * the names of those packages; when anything else went wrong (or nothing 404'd), undefined.
 *
 * @example
 * ```ts
 * notServedPackages("E: Failed to fetch http://m/debian/pool/main/n/nodejs/nodejs_20.19.2_armel.deb  404  Not Found\n", "armel"); // ["nodejs"]
 * ```
 */
export function notServedPackages(stderr: string, arch: string): string[] | undefined {
  const names: string[] = [];
  for (const raw of stderr.split("\n")) {
    const line = raw.trim();
    if (!line.startsWith("E:")) continue;
    if (APT_SUMMARY_ERRORS.some((r) => r.test(line))) continue;
    const m = line.match(/^E: Failed to fetch (\S+)\s+404\s+Not Found\b/);
    const file = m?.[1].split("/").pop() ?? "";
    const deb = file.match(/^([^_]+)_[^_]+_([^_]+)\.deb$/);
    if (!deb || decodeURIComponent(deb[2]) !== arch) return undefined;
    if (!names.includes(deb[1])) names.push(deb[1]);
  }
  return names.length ? names : undefined;
}

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
 * @throws DebianPackagesNotServedError when the mirror answers 404 for the packages' files
 * @throws CommandError when APT cannot resolve or download a package for any other reason
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
  try {
    await runCommand("apt-get", ["install", "--download-only", "-y", "-q", ...spec.packages], run);
  } catch (e) {
    const missing = e instanceof CommandError ? notServedPackages(e.stderr, spec.arch) : undefined;
    if (missing) throw new DebianPackagesNotServedError(spec, mirror, missing, { cause: e });
    throw e;
  }
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
