/**
 * What the engine holds for one pod, grouped by role and container name with the newest attempt first, and the
 * bulk operations on it: garbage collection of old attempts and graceful removal of everything.
 *
 * @module
 */
import { attemptOf, Label } from "./labels.ts";
import type { ContainerDetails, ContainerRuntime } from "./runtime/index.ts";

/** A pod's containers: sandboxes, and init and app containers by name, each list newest attempt first. */
export type Observed = {
  sandboxes: ContainerDetails[];
  init: Map<string, ContainerDetails[]>;
  app: Map<string, ContainerDetails[]>;
  all: ContainerDetails[];
};

/** How long a sandbox gets to stop; its shell exits on SIGTERM at once. */
const SANDBOX_STOP_SECONDS = 2;

/** Lists and inspects the containers of pod `uid` on node `nodeName`. */
export async function observePod(runtime: ContainerRuntime, nodeName: string, uid: string): Promise<Observed> {
  const listed = await runtime.listContainers({ [Label.node]: nodeName, [Label.uid]: uid });
  const all = (await Promise.all(listed.map((c) => runtime.inspectContainer(c.id)))).filter((c): c is ContainerDetails => !!c);
  all.sort((a, b) => attemptOf(b.labels) - attemptOf(a.labels) || b.createdMs - a.createdMs);
  const o: Observed = { sandboxes: [], init: new Map(), app: new Map(), all };
  for (const c of all) {
    const role = c.labels[Label.role];
    if (role === "sandbox") {
      o.sandboxes.push(c);
      continue;
    }
    const m = role === "init" ? o.init : o.app;
    const name = c.labels[Label.container] ?? "";
    m.set(name, [...(m.get(name) ?? []), c]);
  }
  return o;
}

/**
 * Keeps, per container name, the newest two attempts (the current one and the previous one for `logs --previous`),
 * and removes the rest, containers of names the pod no longer has, and dead sandboxes other than the current one.
 *
 * @returns true when something was removed
 */
export async function collectGarbage(runtime: ContainerRuntime, obs: Observed, known: ReadonlySet<string>, sandboxId: string): Promise<boolean> {
  const doomed: ContainerDetails[] = [];
  for (const map of [obs.init, obs.app]) {
    for (const [name, list] of map) {
      if (!known.has(name)) doomed.push(...list);
      else doomed.push(...list.slice(2).filter((c) => !c.running));
    }
  }
  doomed.push(...obs.sandboxes.filter((s) => s.id !== sandboxId && !s.running));
  await Promise.all(doomed.map((c) => runtime.removeContainer(c.id)));
  return doomed.length > 0;
}

/** Stops the pod's containers with `graceSeconds` (the sandbox last), then removes them all. */
export async function stopAndRemoveAll(runtime: ContainerRuntime, obs: Observed, graceSeconds: number): Promise<void> {
  const workers = obs.all.filter((c) => c.running && c.labels[Label.role] !== "sandbox");
  await Promise.all(workers.map((c) => runtime.stopContainer(c.id, graceSeconds)));
  await Promise.all(obs.sandboxes.filter((s) => s.running).map((s) => runtime.stopContainer(s.id, SANDBOX_STOP_SECONDS)));
  await Promise.all(obs.all.map((c) => runtime.removeContainer(c.id)));
}
