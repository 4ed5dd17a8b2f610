/**
 * The smoke run every built binary gets: `--version` must print `<program> <version>` and `--help` its usage, run
 * natively or under qemu-user as the target's runner says.
 *
 * @module
 */
import { runCommand } from "./run_command.ts";
import type { Runner } from "./targets.ts";

/** Options of {@link smokeRun}. */
export type SmokeOptions = {
  /** Per command; qemu runs of the armv6 runtime take tens of seconds. @default 300000 (ms) */
  timeoutMs?: number;
  signal?: AbortSignal;
};

/** How the smoke run went. */
export type SmokeResult = {
  /** Wall time of `--version`, from exec to exit (unpacking included on an armv6 first run). */
  versionMs: number;
  helpMs: number;
};

const DEFAULTS = { timeoutMs: 300_000 } satisfies SmokeOptions;

/**
 * Runs `--version` and `--help` through `runner`.
 *
 * @param runner how to run the binary on this host
 * @param expected `program` name and `version` the binary must report
 * @throws Error saying what the binary printed instead; CommandError when it does not run
 */
export async function smokeRun(runner: Runner, expected: { program: string; version: string }, options: SmokeOptions = {}): Promise<SmokeResult> {
  const opts = { ...DEFAULTS, ...options };
  const run = (flag: string) => runCommand(runner.command, [...runner.args, flag], { env: runner.env, timeoutMs: opts.timeoutMs, signal: opts.signal });
  const version = await run("--version");
  const want = `${expected.program} ${expected.version}`;
  if (version.stdout.trim() !== want) {
    throw new Error(`Cannot confirm the version: expected "${want}", got ${JSON.stringify(version.stdout.trim().slice(0, 200))}`);
  }
  const help = await run("--help");
  if (!help.stdout.includes(`Usage: ${expected.program}`)) {
    throw new Error(`Cannot confirm the help text: "Usage: ${expected.program}" missing from ${JSON.stringify(help.stdout.slice(0, 200))}`);
  }
  return { versionMs: version.ms, helpMs: help.ms };
}
