/**
 * edge_core: joins this host to the cluster as an edge node.
 * @module
 */
import { dirname } from "node:path";
import { UsageError, runMain } from "../lib/cli/run_main.ts";
import { edgeSchema, loadConfig, resolveEdgeConfig, withConfigFile } from "../lib/config/index.ts";
import { createLogger } from "../lib/log/index.ts";

const usage = `Usage: edge_core --config FILE [--log-level debug|info|warn|error]
       edge_core install --config FILE [--unit-dir DIR] [--binary PATH]
       edge_core uninstall [--unit-dir DIR]

Runs the edge agent: link to cloud_core, local metadata store, pods on the container engine, devices over MQTT.

Commands:
  install               write a systemd unit running edge_core --config FILE (restarted always), enable and start it
  uninstall             stop, disable and remove that unit

Options:
  -c, --config FILE     edge.yaml (see conf/edge.yaml)
      --unit-dir DIR    with install/uninstall: where the unit goes (default /etc/systemd/system)
      --binary PATH     with install: the edge_core program the unit runs (default this one)
      --log-level LVL   lowest level logged (default info, or the config's logLevel)
  -h, --help            this text
  -v, --version         print the version
`;

await runMain({
  name: "edge_core",
  usage,
  options: { config: { type: "string", short: "c" }, "unit-dir": { type: "string" }, binary: { type: "string" } },
  async run({ values, positionals, logLevel }) {
    if (positionals[0] === "install" || positionals[0] === "uninstall") {
      const { runEdgeServiceCommand } = await import("../lib/cli/edge_service.ts");
      return runEdgeServiceCommand(positionals, values);
    }
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
