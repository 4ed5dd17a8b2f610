/**
 * `cloud_core node revoke|unrevoke|list-revoked`: the revocation list from the command line, written to the cluster
 * cloud_core serves (so every running replica enforces it within a watch event).
 *
 * @module
 */
import type { CloudConfig } from "../config/index.ts";
import { isNodeName, NODE_NAME_EXPECTED } from "../config/index.ts";
import { RevocationStore } from "../cloud/revocation/index.ts";
import { cloudKubeConfig } from "./cloud_kubeconfig.ts";
import { CommandError, UsageError } from "./run_main.ts";

/** The subcommands of `cloud_core node`. */
export const NODE_COMMANDS = ["revoke", "unrevoke", "list-revoked"] as const;

/**
 * Runs `cloud_core node <command> [NAME]` and returns what to print.
 *
 * @param args the words after `node`
 * @throws UsageError for a wrong command or name, CommandError when the cluster refuses
 */
export async function runNodeCommand(args: string[], config: CloudConfig): Promise<string> {
  const [command, name, ...extra] = args;
  if (!NODE_COMMANDS.includes(command as (typeof NODE_COMMANDS)[number])) {
    throw new UsageError(`node: expected one of ${NODE_COMMANDS.join(", ")}, got ${JSON.stringify((command ?? "").slice(0, 40))} (see --help)`);
  }
  const wantsName = command !== "list-revoked";
  if (extra.length || (wantsName ? !name : name !== undefined)) {
    throw new UsageError(wantsName ? `node ${command} needs one node NAME (see --help)` : "node list-revoked takes no NAME (see --help)");
  }
  if (wantsName && !isNodeName(name!)) throw new UsageError(`node ${command}: expected ${NODE_NAME_EXPECTED}, got ${JSON.stringify(name!.slice(0, 80))}`);
  const store = new RevocationStore(cloudKubeConfig(config), { namespace: config.kubernetes.namespace });
  try {
    if (command === "revoke") {
      const { entry, evicted } = await store.revoke(name!, "revoked by cloud_core node revoke");
      const note = evicted.length ? `; list full, oldest entries dropped: ${evicted.join(", ")}` : "";
      return `node "${name}" revoked at ${new Date(entry.revokedAtMs).toISOString()}: certificates issued until then are refused${note}\n`;
    }
    if (command === "unrevoke") {
      return (await store.unrevoke(name!)) ? `node "${name}" unrevoked\n` : `node "${name}" was not revoked\n`;
    }
    const rows = [...(await store.read())].sort((a, b) => a[1].revokedAtMs - b[1].revokedAtMs);
    return ["NODE\tREVOKED AT\tREASON", ...rows.map(([n, e]) => `${n}\t${new Date(e.revokedAtMs).toISOString()}\t${e.reason}`)].join("\n") + "\n";
  } catch (e) {
    if (e instanceof UsageError || e instanceof CommandError) throw e;
    throw new CommandError(e instanceof Error ? e.message : String(e));
  }
}
