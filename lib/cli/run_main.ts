/**
 * What both entry points share: flag parsing with one-line errors (exit 2), config loading errors, a root logger,
 * and shutdown on SIGINT/SIGTERM within 5 s.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigFileError } from "../config/index.ts";
import { createLogger, type Logger, type LogLevel } from "../log/index.ts";
import { VERSION } from "../version.ts";

/** A running process part that can be stopped. */
export type Stoppable = { stop(): Promise<void> };

/** Thrown for bad flags or arguments: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Thrown by a command for a failure the user can act on (wrong token, unreachable cloud, missing file): printed as
 * one line naming the cause, exit code 1, no stack.
 */
export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CommandError";
  }
}

/** What a command gets after flag parsing. */
export type CommandContext = {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** Logger at the flag's level (or `LOG_LEVEL`, or info). */
  log: Logger;
  /** The level given by `--log-level` or `LOG_LEVEL`, if any: it overrides a config file's `logLevel`. */
  logLevel: LogLevel | undefined;
};

/** A CLI program: its name, help text, flags and body. `run` returns what to stop on a signal, or nothing. */
export type Program = {
  name: string;
  usage: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  run(ctx: CommandContext): Promise<Stoppable | void>;
};

const LEVELS = ["debug", "info", "warn", "error"];
const SHUTDOWN_DEADLINE_MS = 5000;

function die(program: string, message: string): never {
  process.stderr.write(`${program}: ${message}\n`);
  process.exit(2);
}

/** Runs a program as the process's main: handles --help, --version, --log-level, errors and signals. */
export async function runMain(program: Program, argv = process.argv.slice(2)): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        ...program.options,
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
        "log-level": { type: "string" },
      },
    });
  } catch (e) {
    die(program.name, `${(e as Error).message} (see --help)`);
  }
  const values = parsed.values as CommandContext["values"];
  if (values.help) {
    process.stdout.write(program.usage);
    return;
  }
  if (values.version) {
    process.stdout.write(`${program.name} ${VERSION}\n`);
    return;
  }
  const level = (values["log-level"] as string | undefined) ?? process.env.LOG_LEVEL;
  if (level !== undefined && !LEVELS.includes(level)) {
    die(program.name, `--log-level: expected one of ${LEVELS.join(", ")}, got ${JSON.stringify(level)}`);
  }
  const logLevel = level as LogLevel | undefined;
  const log = createLogger(program.name, { level: logLevel ?? "info" });
  // handlers go in before start-up: a signal that arrives while modules start is honoured once they have started,
  // instead of killing the process with its store unflushed
  let service: Stoppable | undefined;
  let requested: string | undefined;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping || !service) return;
    stopping = true;
    log.info("shutting down", { signal });
    setTimeout(() => {
      log.error("shutdown took too long, exiting", { deadlineMs: SHUTDOWN_DEADLINE_MS });
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    service.stop().then(
      () => {
        log.info("stopped");
        process.exit(0);
      },
      (e) => {
        log.error("shutdown failed", { error: String(e) });
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: string) => {
    requested ??= signal;
    stop(signal);
  };
  const onInt = () => onSignal("SIGINT");
  const onTerm = () => onSignal("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  let running: Stoppable | void;
  try {
    running = await program.run({ values, positionals: parsed.positionals, log, logLevel });
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigFileError) die(program.name, e.message);
    if (e instanceof CommandError) {
      process.stderr.write(`${program.name}: ${e.message}\n`);
      process.exit(1);
    }
    log.error("start failed", { error: e instanceof Error ? e.message : String(e) });
    if (e instanceof Error && e.stack) log.debug(e.stack);
    process.exit(1);
  }
  if (!running) {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
    return;
  }
  service = running;
  if (requested) stop(requested);
}
