/**
 * What end-to-end tests of pods start from: the test Docker engine with the busybox image present, leftovers of
 * earlier runs removed, and a cluster (see `_cluster.ts`) whose node is Ready; and the matching clean-up.
 *
 * @module
 */
import { type TestDocker, useTestDockerWithBusybox } from "../support/docker.ts";
import { waitUntil } from "../support/process.ts";
import { createCluster, type E2eCluster } from "./_cluster.ts";
import { removeNodeContainers, removeStaleRuns } from "./_engine.ts";

/** A running cluster on the test Docker engine. */
export type DockerCluster = {
  docker: TestDocker;
  cluster: E2eCluster;
  /** Runs kubectl; a non-zero exit throws with its stderr. @returns stdout */
  kubectlOk(args: string[], timeoutMs?: number): Promise<string>;
  /** Stops the processes, removes the node's containers and releases the engine; `keep` keeps the logs. */
  close(keep: boolean): Promise<void>;
};

/** Starts cloud_core and edge_core for node `<nodePrefix><pid>` and waits until the node is Ready. */
export async function startDockerCluster(nodePrefix: string, label: string): Promise<DockerCluster> {
  const docker = await useTestDockerWithBusybox();
  await removeStaleRuns(docker.socketPath, nodePrefix);
  const node = `${nodePrefix}${process.pid}`;
  const cluster = await createCluster({ dockerSocket: docker.socketPath, nodeName: node });
  const kubectlOk = async (args: string[], timeoutMs = 20_000) => {
    const r = await cluster.kubectl(args, { timeoutMs });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} exited ${r.code}: ${r.stderr.trim()}`);
    return r.stdout;
  };
  const close = async (keep: boolean) => {
    if (keep) console.log(`  [${label}] logs of every process kept in ${cluster.dumpLogs()}`);
    await cluster.close(keep);
    await removeNodeContainers(docker.socketPath, node).catch((e) => console.log(`  [${label}] cleanup: ${e}`));
    await docker.release();
  };
  try {
    await cluster.startCloud();
    await cluster.issueCert();
    await cluster.startEdge();
    await waitUntil(async () => (await cluster.kubectl(["get", "node", node, "-o", "jsonpath={.status.conditions[?(@.type=='Ready')].status}"])).stdout === "True", 30_000, `node ${node} Ready`);
  } catch (e) {
    await close(true);
    throw e;
  }
  return { docker, cluster, kubectlOk, close };
}
