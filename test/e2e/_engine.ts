/**
 * What the Docker engine itself says about a node's containers, asked with the docker CLI (not through our runtime
 * code), and the last-resort removal of everything a test node left behind.
 *
 * @module
 */
import { runToEnd } from "../support/process.ts";

/** One container of the node, as `docker ps -a` lists it. */
export type EngineContainer = { id: string; name: string; state: string; role: string; pod: string };

const NODE_LABEL = "kubeedge-ts.node";
const DOCKER_TIMEOUT_MS = 30_000;

/** Runs the docker CLI against one engine socket. */
export async function docker(socketPath: string, args: string[]): Promise<string> {
  const r = await runToEnd("docker", ["-H", `unix://${socketPath}`, ...args], { timeoutMs: DOCKER_TIMEOUT_MS });
  if (r.code !== 0) throw new Error(`Cannot run docker ${args.join(" ")}: exit ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** Every container (running or not) that carries the node's label. */
export async function nodeContainers(socketPath: string, node: string): Promise<EngineContainer[]> {
  const format = `{{.ID}}\t{{.Names}}\t{{.State}}\t{{.Label "kubeedge-ts.container.role"}}\t{{.Label "kubeedge-ts.pod.name"}}`;
  const out = await docker(socketPath, ["ps", "-a", "--no-trunc", "--filter", `label=${NODE_LABEL}=${node}`, "--format", format]);
  return out.split("\n").filter(Boolean).map((line) => {
    const [id, name, state, role, pod] = line.split("\t");
    return { id, name, state, role, pod };
  });
}

/** Force-removes every container of the node; returns how many there were. */
export async function removeNodeContainers(socketPath: string, node: string): Promise<number> {
  const ids = (await nodeContainers(socketPath, node)).map((c) => c.id);
  if (ids.length) await docker(socketPath, ["rm", "-f", "-v", ...ids]);
  return ids.length;
}

/**
 * Removes the containers of earlier runs that died before cleaning up: nodes named `<prefix><pid>` whose process is
 * gone. Returns how many containers were removed.
 */
export async function removeStaleRuns(socketPath: string, prefix: string): Promise<number> {
  const out = await docker(socketPath, ["ps", "-a", "--filter", `label=${NODE_LABEL}`, "--format", `{{.Label "${NODE_LABEL}"}}`]);
  const stale = new Set(out.split("\n").filter((n) => n.startsWith(prefix) && !alive(Number(n.slice(prefix.length)))));
  let removed = 0;
  for (const node of stale) removed += await removeNodeContainers(socketPath, node);
  return removed;
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true; // not one of ours: leave it
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
