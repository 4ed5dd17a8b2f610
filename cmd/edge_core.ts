/**
 * edge_core: joins this host to the cluster as an edge node.
 * @module
 */
import { dirname } from "node:path";
import { UsageError, runMain } from "../lib/cli/run_main.ts";
import { edgeSchema, loadConfig, resolveEdgeConfig, withConfigFile } from "../lib/config/index.ts";
import { createLogger } from "../lib/log/index.ts";

const usage = `Usage: edge_core --config FILE [--log-level debug|info|warn|error]

Runs the edge agent: link to cloud_core, local metadata store, pods on the container engine, devices over MQTT.

Options:
  -c, --config FILE     edge.yaml (see conf/edge.yaml)
      --log-level LVL   lowest level logged (default info, or the config's logLevel)
  -h, --help            this text
  -v, --version         print the version
`;

await runMain({
  name: "edge_core",
  usage,
  options: { config: { type: "string", short: "c" } },
  async run({ values, positionals, logLevel }) {
    if (positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])} (see --help)`);
    const file = values.config as string | undefined;
    if (!file) throw new UsageError("--config FILE is required (see --help)");
    const raw = loadConfig(file, edgeSchema);
    const config = withConfigFile(file, () => resolveEdgeConfig(raw, dirname(file)));
    // loaded here so --help, --version and config errors answer without loading the modules
    const { startEdgeCore } = await import("../lib/edge/edge_core.ts");
    const { installLastResort } = await import("../lib/core/index.ts");
    const log = createLogger("edge", { level: logLevel ?? config.logLevel });
    // pods keep running under edge autonomy only while edge_core does: log a stray failure and keep going
    installLastResort({ log: log.child("last-resort") });
    return startEdgeCore(config, log);
  },
});
