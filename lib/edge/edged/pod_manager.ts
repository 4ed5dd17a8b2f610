/**
 * The set of pods this node should run, one {@link PodWorker} per pod UID. It takes the full set at start (adopting
 * running containers, removing those of pods no longer wanted), then pod changes one by one; it wakes the workers
 * whose pods reference a changed ConfigMap or Secret and whose containers had an engine event.
 *
 * @module
 */
import { readdir, rm } from "node:fs/promises";
import type { Logger } from "../../log/index.ts";
import { Label } from "./labels.ts";
import { referencedObjects } from "./pod_volumes.ts";
import { PodWorker, type PodWorkerDeps } from "./pod_worker.ts";
import type { ContainerRuntime } from "./runtime/index.ts";
import type { Pod } from "./types.ts";

/** Cap on the grace period used for containers of unknown pods. */
const ORPHAN_GRACE_MAX_SECONDS = 30;

/** Runs the workers of all pods of this node. */
export class PodManager {
  readonly #deps: PodWorkerDeps;
  readonly #log: Logger;
  readonly #workers = new Map<string, PodWorker>();

  constructor(deps: PodWorkerDeps) {
    this.#deps = deps;
    this.#log = deps.log;
  }

  /** Pods with a worker (running, starting or terminating). */
  get size(): number {
    return this.#workers.size;
  }

  /** The desired pods. */
  pods(): Pod[] {
    return [...this.#workers.values()].map((w) => w.pod);
  }

  /** Takes the full desired set: starts workers, which adopt the containers that match their pods. */
  start(pods: Pod[]): void {
    for (const p of pods) this.upsert(p);
  }

  /** A pod was added or changed. */
  upsert(pod: Pod): void {
    const uid = pod.metadata.uid;
    if (!uid) {
      this.#log.warn("ignoring pod without uid", { pod: `${pod.metadata.namespace}/${pod.metadata.name}` });
      return;
    }
    const w = this.#workers.get(uid);
    if (w) {
      w.update(pod);
      return;
    }
    this.#spawn(pod);
  }

  /** A pod was deleted: terminate it gracefully, then confirm. */
  delete(pod: Pod): void {
    const uid = pod.metadata.uid;
    const w = uid ? this.#workers.get(uid) : this.#byName(pod);
    if (w) w.delete({ ...w.pod, metadata: { ...w.pod.metadata, ...pod.metadata, uid: w.pod.metadata.uid } });
    else if (uid) this.#spawn({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: pod.metadata.deletionTimestamp ?? new Date().toISOString() } });
  }

  /** Wakes the pods that reference `<type>/<name>` in `ns`. */
  objectChanged(ns: string, type: string, name: string): void {
    const key = `${type}/${name}`;
    for (const w of this.#workers.values()) {
      if ((w.pod.metadata.namespace ?? "default") === ns && referencedObjects(w.pod).has(key)) w.trigger();
    }
  }

  /** Wakes the pod a container event belongs to. */
  containerEvent(labels: Record<string, string>): void {
    const uid = labels[Label.uid];
    if (uid) this.#workers.get(uid)?.trigger();
  }

  /** Wakes every pod (after the engine came back, or to re-send statuses). */
  triggerAll(): void {
    for (const w of this.#workers.values()) w.trigger();
  }

  /** Stops every worker; containers keep running. */
  async stop(): Promise<void> {
    await Promise.all([...this.#workers.values()].map((w) => w.stop()));
    this.#workers.clear();
  }

  #spawn(pod: Pod): void {
    const uid = pod.metadata.uid!;
    const w = new PodWorker(pod, this.#deps);
    this.#workers.set(uid, w);
    void w.done.then(() => {
      if (this.#workers.get(uid) === w) this.#workers.delete(uid);
    });
  }

  #byName(pod: Pod): PodWorker | undefined {
    for (const w of this.#workers.values()) {
      if (w.pod.metadata.name === pod.metadata.name && w.pod.metadata.namespace === pod.metadata.namespace) return w;
    }
    return undefined;
  }

  /**
   * Removes containers and pod folders of every pod on this node that has no worker (call after {@link start}).
   *
   * @throws RuntimeError when the engine does not answer
   */
  async removeOrphans(): Promise<void> {
    const { runtime, nodeName, podsDir } = this.#deps;
    const listed = await runtime.listContainers({ [Label.node]: nodeName });
    const orphans = listed.filter((c) => !this.#workers.has(c.labels[Label.uid] ?? ""));
    if (orphans.length) this.#log.info("removing containers of pods this node no longer runs", { containers: orphans.length });
    await Promise.all(orphans.map((c) => stopAndRemove(runtime, c.id, c.labels)));
    const dirs = await readdir(podsDir).catch(() => [] as string[]);
    await Promise.all(dirs.filter((uid) => !this.#workers.has(uid)).map((uid) => rm(`${podsDir}/${uid}`, { recursive: true, force: true })));
  }
}

async function stopAndRemove(runtime: ContainerRuntime, id: string, labels: Record<string, string>): Promise<void> {
  const grace = Math.min(Number(labels[Label.grace]) || 0, ORPHAN_GRACE_MAX_SECONDS);
  await runtime.stopContainer(id, labels[Label.role] === "sandbox" ? 2 : grace);
  await runtime.removeContainer(id);
}
