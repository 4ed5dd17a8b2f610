/**
 * Starting edge_core from its config file: what `edge_core --config FILE` and `edge_core join --start` share.
 *
 * @module
 */
import { dirname } from "node:path";
import { edgeSchema, loadConfig, resolveEdgeConfig, withConfigFile } from "../config/index.ts";
import { createLogger, type LogLevel } from "../log/index.ts";
import type { Stoppable } from "./run_main.ts";

/**
 * Loads `file`, then starts the edge modules with a last-resort handler installed.
 *
 * @param logLevel the `--log-level` flag, which overrides the config's `logLevel`
 * @throws ConfigFileError for a bad config (the caller prints it as one line)
 */
export async function startEdgeFromFile(file: string, logLevel: LogLevel | undefined): Promise<Stoppable> {
  const raw = loadConfig(file, edgeSchema);
  const config = withConfigFile(file, () => resolveEdgeConfig(raw, dirname(file)));
  // loaded here so --help, --version and config errors answer without loading the modules
  const { startEdgeCore } = await import("../edge/edge_core.ts");
  const { installLastResort } = await import("../core/index.ts");
  const log = createLogger("edge", { level: logLevel ?? config.logLevel });
  // pods keep running under edge autonomy only while edge_core does: log a stray failure and keep going
  installLastResort({ log: log.child("last-resort") });
  return startEdgeCore(config, log);
}
