/**
 * The cluster cloud_core's own commands (token, node) talk to: the same one cloud_core serves, so a token or a
 * revocation made from the command line is seen by every running replica.
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import type { CloudConfig } from "../config/index.ts";
import { CommandError } from "./run_main.ts";

/** Name of the admin kubeconfig the embedded API writes into `dataDir` (kept equal to the API server's). */
const EMBEDDED_KUBECONFIG = "kubeconfig";

/**
 * The kubeconfig file for `config`: `kubernetes.kubeconfig`, else the admin kubeconfig the embedded API writes to
 * `<dataDir>/kubeconfig` when cloud_core first runs.
 */
export function cloudKubeconfigPath(config: CloudConfig): string {
  return config.kubernetes.kubeconfig ?? join(config.dataDir, EMBEDDED_KUBECONFIG);
}

/** A loaded KubeConfig for `config`'s cluster; a CommandError naming the file when there is none yet. */
export function cloudKubeConfig(config: CloudConfig): KubeConfig {
  const path = cloudKubeconfigPath(config);
  if (!existsSync(path)) {
    throw new CommandError(`no kubeconfig at ${path}: set kubernetes.kubeconfig, or start cloud_core once so its embedded API writes one`);
  }
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(path);
  } catch (e) {
    throw new CommandError(`kubeconfig ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return kc;
}
