/**
 * cloud_core: the cloud side. Serves edge nodes on cloudhub and connects them to Kubernetes (a real cluster, or
 * the embedded API when no kubeconfig is configured). The cert command issues an edge node certificate.
 * @module
 */
import { dirname } from "node:path";
import { runMain, UsageError } from "../lib/cli/run_main.ts";
import { certValidity, cloudSchema, isNodeName, loadConfig, NODE_NAME_EXPECTED, parseConfig, resolveCloudConfig, type CloudConfig } from "../lib/config/index.ts";
import { createLogger } from "../lib/log/index.ts";

const usage = `Usage: cloud_core --config FILE [--log-level debug|info|warn|error]
       cloud_core cert --node NAME --out DIR [--config FILE]
       cloud_core node revoke NAME | unrevoke NAME | list-revoked [--config FILE]
       cloud_core token create [--ttl 24h] [--node NAME] [--usages join] [--config FILE]
       cloud_core token list|delete ID [--config FILE]

Runs the cloud side of kubeedge-ts: cloudhub for edge nodes, EdgeController and DeviceController, and, when
kubernetes.kubeconfig is not set, an embedded Kubernetes API whose admin kubeconfig is written to <dataDir>/kubeconfig.

Commands:
  cert                  issue a client certificate for an edge node (CN = NAME) into DIR: ca.crt, node.crt, node.key
  node revoke NAME      refuse NAME's certificates issued until now (its link closes); a re-join's new one works
  node unrevoke NAME    lift NAME's revocation
  node list-revoked     print the revoked nodes
  token create          make a join token and print it with the edge_core join command to run on the device
  token list            list join tokens (ID, expiry, node); token delete ID revokes one

Options:
  -c, --config FILE     cloud.yaml (see conf/cloud.yaml)
      --node NAME       with cert: the edge node's name; with token create: the only name the token may join
                        (also when that Node exists, to re-join it)
      --out DIR         with cert: where to write the files
      --ttl DURATION    with token create: lifetime (1m to 8760h, default 24h)
      --usages LIST     with token create: what the token allows (join)
      --log-level LVL   lowest level logged (default info, or the config's logLevel)
  -h, --help            this text
  -v, --version         print the version
`;

function readConfig(file: string | undefined): CloudConfig {
  if (!file) return resolveCloudConfig(parseConfig("", cloudSchema, "cloud.yaml"));
  return resolveCloudConfig(loadConfig(file, cloudSchema), dirname(file));
}

await runMain({
  name: "cloud_core",
  usage,
  options: {
    config: { type: "string", short: "c" },
    node: { type: "string" },
    out: { type: "string" },
    ttl: { type: "string" },
    usages: { type: "string" },
  },
  async run({ values, positionals, logLevel }) {
    const [command, ...extra] = positionals;
    if (command === "node") {
      const { runNodeCommand } = await import("../lib/cli/cloud_node.ts");
      process.stdout.write(await runNodeCommand(extra, readConfig(values.config as string | undefined)));
      return;
    }
    if (command === "token") {
      const file = values.config as string | undefined;
      const config = readConfig(file);
      const { runTokenCommand } = await import("../lib/cli/token.ts");
      const flags = { ttl: values.ttl as string | undefined, node: values.node as string | undefined, usages: values.usages as string | undefined };
      return runTokenCommand(config, extra, flags, createLogger("cloud_core", { level: logLevel ?? "warn" }));
    }
    if (extra.length || (command !== undefined && command !== "cert")) {
      throw new UsageError(`unexpected argument ${JSON.stringify(extra[0] ?? command)} (see --help)`);
    }
    const file = values.config as string | undefined;
    if (command === "cert") {
      const node = values.node as string | undefined;
      const out = values.out as string | undefined;
      if (!node || !out) throw new UsageError("cert needs --node NAME and --out DIR (see --help)");
      if (!isNodeName(node)) {
        throw new UsageError(`--node: expected ${NODE_NAME_EXPECTED}, got ${JSON.stringify(node.slice(0, 80))}${node.length > 80 ? "..." : ""}`);
      }
      const config = readConfig(file);
      const log = createLogger("cloud_core", { level: logLevel ?? config.logLevel });
      const { ensureCloudPki, issueNodeCertificate, writeNodeCertificate } = await import("../lib/pki/index.ts");
      const validity = certValidity(config);
      const pki = await ensureCloudPki(config.cloudHub.tls, { log, hosts: config.cloudHub.advertiseAddress ? [config.cloudHub.advertiseAddress] : [], certValidityMs: validity.serverMs });
      const paths = await writeNodeCertificate(out, await issueNodeCertificate(pki, node, { validityMs: validity.nodeMs }));
      process.stdout.write(`certificate for node "${node}" written: ${paths.ca} ${paths.cert} ${paths.key}\n`);
      return;
    }
    if (!file) throw new UsageError("--config FILE is required (see --help)");
    const config = readConfig(file);
    // loaded here so --help, --version and config errors answer without loading the modules
    const { startCloudCore } = await import("../lib/cloud/cloud_core.ts");
    const { installLastResort } = await import("../lib/core/index.ts");
    const log = createLogger("cloud", { level: logLevel ?? config.logLevel });
    // a bug reached by one node's message must not take every other node's link down: log it and keep serving
    installLastResort({ log: log.child("last-resort") });
    return startCloudCore(config, log);
  },
});
