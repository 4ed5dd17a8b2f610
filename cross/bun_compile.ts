/**
 * x64 and arm64: `bun build --compile`, one file holding Bun's runtime, the minified bundle and its bytecode. A
 * cross target needs that target's Bun runtime; Bun would download it from the npm registry itself, the build
 * instead fetches `@oven/bun-linux-<cpu>` of the same version with npm (cached) and passes it, so the build works
 * behind the same proxies as npm and offline once cached.
 *
 * @module
 */
import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runCommand } from "./run_command.ts";

/**
 * A compiled Bun program otherwise reads `.env` and `bunfig.toml` from whatever folder it is started in: a stray file
 * there would change a node agent's environment, so both are off.
 */
const NO_AUTOLOAD = ["--no-compile-autoload-dotenv", "--no-compile-autoload-bunfig"];

/** Options of {@link bunCompile}. */
export type BunCompileOptions = {
  /** Bun target, e.g. `bun-linux-arm64`. @default the host's */
  target?: string;
  /** The target's `bun` binary; needed for any target other than the host's. */
  executablePath?: string;
  signal?: AbortSignal;
};

/** The npm package's bun binary: where its postinstall puts it, else where the platform package holds it. */
export function hostBun(): string {
  const candidates = ["../node_modules/bun/bin/bun.exe", "../node_modules/@oven/bun-linux-x64/bin/bun"];
  const found = candidates.map((c) => fileURLToPath(new URL(c, import.meta.url))).find((p) => existsSync(p) && statSync(p).size > 1_000_000);
  if (!found) throw new Error(`Cannot find the bun binary: none of ${candidates.join(", ")} (is the "bun" dev dependency installed?)`);
  return found;
}

/** Version of the Bun that compiles, e.g. `1.4.5`; a cross target's runtime must be the same. */
export async function hostBunVersion(): Promise<string> {
  return (await runCommand(hostBun(), ["--version"])).stdout.trim();
}

/**
 * Compiles `entry` into the single executable `outfile`.
 *
 * @param entry the TypeScript entry point
 * @param outfile the executable to write
 * @throws CommandError with Bun's message when bundling or compiling fails
 */
export async function bunCompile(entry: string, outfile: string, options: BunCompileOptions = {}): Promise<void> {
  const args = ["build", "--compile", "--minify", "--bytecode", "--format=esm", ...NO_AUTOLOAD, entry, "--outfile", outfile];
  if (options.target) args.push(`--target=${options.target}`);
  if (options.executablePath) args.push(`--compile-executable-path=${options.executablePath}`);
  await runCommand(hostBun(), args, { signal: options.signal });
}
