/**
 * `edge_core install` and `edge_core uninstall`: run edge_core as a systemd service, restarted whenever it stops, so
 * pods keep running (edge autonomy) across crashes and reboots.
 *
 * @module
 */
import { execFile } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { edgeSchema, loadConfig } from "../config/index.ts";
import { CommandError, UsageError } from "./run_main.ts";

/** Name of the unit edge_core installs. */
export const EDGE_UNIT_NAME = "kubeedge-ts-edge.service";
/** Where units go unless `--unit-dir` says otherwise. */
export const DEFAULT_UNIT_DIR = "/etc/systemd/system";
/** Folders systemd loads units from: only a unit written to one of these can be enabled. */
const SYSTEMD_UNIT_DIRS = new Set([DEFAULT_UNIT_DIR, "/run/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system"]);

/** What install and uninstall need. */
export type EdgeServiceOptions = {
  /** edge.yaml; made absolute in the unit. */
  config: string;
  /** @default {@link DEFAULT_UNIT_DIR} */
  unitDir?: string;
  /** The edge_core program to run. @default the program running now */
  binary?: string;
  /** Runs `systemctl` (for tests; null: none). @default the real one, when systemd is the running init and the unit is in a folder it loads */
  systemctl?: ((args: string[]) => Promise<void>) | null;
  /** Receives each line describing what was done. */
  print: (line: string) => void;
};

/**
 * Quotes one ExecStart word for systemd: `%` and `$` doubled (specifiers and variables), and words with spaces,
 * quotes or backslashes put in double quotes.
 */
function unitWord(word: string): string {
  if (/[\n\r\0]/.test(word)) throw new CommandError(`Cannot write a unit for ${JSON.stringify(word.slice(0, 200))}: it holds a line break or NUL`);
  const escaped = word.replace(/%/g, "%%").replace(/\$/g, "$$$$");
  return /^[A-Za-z0-9_@%+=:,./$-]+$/.test(escaped) ? escaped : `"${escaped.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/**
 * The command that starts the running edge_core again: the single binary itself, or the runtime with its flags and
 * the script when edge_core runs from source.
 */
function currentProgram(): string[] {
  const script = process.argv[1];
  if (script && [".ts", ".js", ".mjs", ".cjs"].includes(extname(script)) && existsSync(script)) {
    return [process.execPath, ...process.execArgv, resolve(script)];
  }
  return [process.execPath];
}

/** The unit file text for running `program` with `--config <config>` (both absolute). */
export function renderEdgeUnit(program: string[], config: string): string {
  return [
    "[Unit]",
    "Description=kubeedge-ts edge_core: this host as a Kubernetes edge node",
    "Wants=network-online.target",
    // pods run on Docker: start after it, stop before it
    "After=network-online.target docker.service",
    "",
    "[Service]",
    "Type=simple",
    `ExecStart=${[...program, "--config", config].map(unitWord).join(" ")}`,
    "Restart=always",
    "RestartSec=5",
    // edge_core stops within 5 s of SIGTERM; past this systemd kills it
    "TimeoutStopSec=15",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

/** The real systemctl, or null when systemd is not the running init (a container, a non-systemd host). */
function realSystemctl(): ((args: string[]) => Promise<void>) | null {
  // systemd creates /run/systemd/system at boot; its absence means systemd is not managing this host
  if (!existsSync("/run/systemd/system")) return null;
  return async (args) => {
    try {
      await promisify(execFile)("systemctl", args, { timeout: 60_000 });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new CommandError(`systemctl ${args.join(" ")} failed: ${(e.stderr || e.message).trim().split("\n")[0]}`);
    }
  };
}

function where(o: Pick<EdgeServiceOptions, "unitDir" | "systemctl">): { unitDir: string; unitPath: string; systemctl: ((args: string[]) => Promise<void>) | null } {
  const unitDir = resolve(o.unitDir ?? DEFAULT_UNIT_DIR);
  // the real systemctl is only asked about a unit in a folder it loads; a given one (tests) is always used
  const systemctl = o.systemctl !== undefined ? o.systemctl : SYSTEMD_UNIT_DIRS.has(unitDir) ? realSystemctl() : null;
  return { unitDir, unitPath: join(unitDir, EDGE_UNIT_NAME), systemctl };
}

async function run(systemctl: (args: string[]) => Promise<void>, args: string[], print: (l: string) => void): Promise<void> {
  await systemctl(args);
  print(`ran: systemctl ${args.join(" ")}`);
}

/**
 * Writes the unit (mode 0644), then enables and starts it when systemd runs here and the unit is in a folder it
 * loads; otherwise prints the commands to run.
 *
 * @throws CommandError when the config does not load, the binary is missing, or the unit cannot be written
 */
export async function installEdgeService(o: EdgeServiceOptions): Promise<void> {
  const config = resolve(o.config);
  // a unit that restarts a broken config forever helps nobody: check it now
  loadConfig(config, edgeSchema);
  const program = o.binary ? [resolve(o.binary)] : currentProgram();
  if (o.binary && !statSync(program[0], { throwIfNoEntry: false })?.isFile()) throw new CommandError(`Cannot install: --binary "${program[0]}" is not a file`);
  const { unitDir, unitPath, systemctl } = where(o);
  const tmp = `${unitPath}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, renderEdgeUnit(program, config), { mode: 0o644 });
    await rename(tmp, unitPath);
  } catch (err) {
    await rm(tmp, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    throw new CommandError(`Cannot write "${unitPath}": ${code ?? (err as Error).message}${code === "EACCES" ? " (run as root, or give --unit-dir)" : ""}`);
  }
  o.print(`wrote ${unitPath} (ExecStart: ${program.join(" ")} --config ${config})`);
  if (!systemctl) {
    o.print(SYSTEMD_UNIT_DIRS.has(unitDir)
      ? `systemd is not running here; on the target host run: systemctl daemon-reload && systemctl enable --now ${EDGE_UNIT_NAME}`
      : `${unitDir} is not a folder systemd loads units from; copy the unit to ${DEFAULT_UNIT_DIR}, then run: systemctl daemon-reload && systemctl enable --now ${EDGE_UNIT_NAME}`);
    return;
  }
  await run(systemctl, ["daemon-reload"], o.print);
  await run(systemctl, ["enable", "--now", EDGE_UNIT_NAME], o.print);
}

/**
 * Stops and disables the unit when systemd runs here, removes its file and reloads systemd. A unit that is not there
 * is reported, not an error.
 */
export async function uninstallEdgeService(o: Omit<EdgeServiceOptions, "config" | "binary">): Promise<void> {
  const { unitPath, systemctl } = where(o);
  if (!existsSync(unitPath)) {
    o.print(`no unit at ${unitPath}; nothing to remove`);
    return;
  }
  if (systemctl) await run(systemctl, ["disable", "--now", EDGE_UNIT_NAME], o.print);
  try {
    await rm(unitPath);
  } catch (err) {
    throw new CommandError(`Cannot remove "${unitPath}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  o.print(`removed ${unitPath}`);
  if (systemctl) await run(systemctl, ["daemon-reload"], o.print);
  else o.print(`systemd was not told; if it runs the unit, run: systemctl disable --now ${EDGE_UNIT_NAME} && systemctl daemon-reload`);
}

/** Runs `install` or `uninstall` from edge_core's parsed arguments, printing to stdout. */
export async function runEdgeServiceCommand(positionals: string[], values: Record<string, string | boolean | undefined>): Promise<void> {
  const [command, ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])} (see --help)`);
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const unitDir = values["unit-dir"] as string | undefined;
  if (command === "uninstall") return uninstallEdgeService({ unitDir, print });
  const config = values.config as string | undefined;
  if (!config) throw new UsageError("install needs --config FILE (see --help)");
  return installEdgeService({ config, unitDir, binary: values.binary as string | undefined, print });
}
