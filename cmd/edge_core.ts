/**
 * edge_core: joins this host to the cluster as an edge node.
 * @module
 */
import { UsageError, runMain } from "../lib/cli/run_main.ts";

const usage = `Usage: edge_core --config FILE [--log-level debug|info|warn|error]
       edge_core join --cloud HOST:PORT --token TOKEN [--node NAME] [--config FILE] [--data-dir DIR] [--force] [--start]

Runs the edge agent: link to cloud_core, local metadata store, pods on the container engine, devices over MQTT.

Commands:
  join                  join the cluster with a token from "cloud_core token create": checks the cloud's CA against
                        the token, makes this node's key and gets its certificate, writes <dataDir>/certs/ and FILE

Options:
  -c, --config FILE     edge.yaml (see conf/edge.yaml); with join: the one to write (default <dataDir>/edge.yaml;
                        an existing one is kept apart from nodeName, dataDir and edgeHub)
      --cloud HOST:PORT with join: cloudhub's address
      --token TOKEN     with join: the join token
      --node NAME       with join: this node's name (default: the config's nodeName, else the host name)
      --data-dir DIR    with join: dataDir of the node (default: the config's, else /var/lib/kubeedge-ts/edge)
      --force           with join: replace a key and certificate from an earlier join
      --start           with join: run edge_core once joined
      --log-level LVL   lowest level logged (default info, or the config's logLevel)
  -h, --help            this text
  -v, --version         print the version
`;

await runMain({
  name: "edge_core",
  usage,
  options: {
    config: { type: "string", short: "c" },
    cloud: { type: "string" },
    token: { type: "string" },
    node: { type: "string" },
    "data-dir": { type: "string" },
    force: { type: "boolean" },
    start: { type: "boolean" },
  },
  async run({ values, positionals, logLevel }) {
    const [command, ...extra] = positionals;
    if (extra.length || (command !== undefined && command !== "join")) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0] ?? command)} (see --help)`);
    const file = values.config as string | undefined;
    if (command === "join") {
      const { runEdgeJoin } = await import("../lib/cli/edge_join.ts");
      const v = values as Record<string, string | undefined>;
      return runEdgeJoin({ cloud: v.cloud, token: v.token, node: v.node, config: file, dataDir: v["data-dir"], force: !!values.force, start: !!values.start }, logLevel);
    }
    if (!file) throw new UsageError("--config FILE is required (see --help)");
    const { startEdgeFromFile } = await import("../lib/cli/edge_start.ts");
    return startEdgeFromFile(file, logLevel);
  },
});
