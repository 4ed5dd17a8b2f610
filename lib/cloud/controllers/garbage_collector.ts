/**
 * Garbage collection through ownerReferences, for the kinds the controllers cache (Deployments, ReplicaSets, pods):
 * a dependent whose owners are all gone is deleted (a dangling reference next to a live owner is removed); an owner
 * deleted with propagation Foreground (finalizer `foregroundDeletion`) has its dependents deleted and keeps its
 * deletionTimestamp until no dependent with blockOwnerDeletion is left; an owner deleted with propagation Orphan
 * (finalizer `orphan`) has its references removed from its dependents. An owner missing from the cache is looked up
 * in the API before anything is deleted, so a lagging cache never removes a live object's dependents.
 *
 * @module
 */
import { type KubernetesObject, PatchStrategy, type V1OwnerReference } from "@kubernetes/client-node";
import type { Logger } from "../../log/index.ts";
import { withDefaults } from "./_defaults.ts";
import { conflictRetryMs, type KubeApis, statusOf } from "./_kube_apis.ts";
import type { Informer } from "./informer.ts";
import type { Informers } from "./informers.ts";
import { WorkQueue } from "./work_queue.ts";

/** Options of {@link GarbageCollector}. */
export type GarbageCollectorOptions = {
  informers: Informers;
  apis: KubeApis;
  log: Logger;
  /** How long a reference to a gone owner must stay before its dependent is deleted. @default 1000 */
  danglingGraceMs?: number;
};

/** Finalizer of an owner waiting for its dependents (propagation Foreground). */
export const FOREGROUND_FINALIZER = "foregroundDeletion";
/** Finalizer of an owner whose dependents are to be kept (propagation Orphan). */
export const ORPHAN_FINALIZER = "orphan";

type Cached = { informer: Informer<KubernetesObject>; apiVersion: string };

function hasFinalizer(obj: KubernetesObject, f: string): boolean {
  return !!obj.metadata?.deletionTimestamp && (obj.metadata.finalizers ?? []).includes(f);
}

/** Deletes dependents of deleted owners and finishes foreground and orphan deletions. */
export class GarbageCollector {
  readonly #o: GarbageCollectorOptions & { danglingGraceMs: number };
  /** When each dependent was first seen with a reference to a gone owner. */
  readonly #danglingSince = new Map<string, number>();
  readonly #queue: WorkQueue;
  readonly #kinds: Map<string, Cached>;
  readonly #unsubscribe: (() => void)[] = [];

  constructor(options: GarbageCollectorOptions) {
    this.#o = withDefaults({ danglingGraceMs: 1000 }, options);
    const { pods, replicaSets, deployments } = options.informers;
    const as = (i: unknown) => i as Informer<KubernetesObject>;
    this.#kinds = new Map([
      ["Pod", { informer: as(pods), apiVersion: "v1" }],
      ["ReplicaSet", { informer: as(replicaSets), apiVersion: "apps/v1" }],
      ["Deployment", { informer: as(deployments), apiVersion: "apps/v1" }],
    ]);
    this.#queue = new WorkQueue((key) => this.#sync(key), { concurrency: 4, expectedRetryMs: conflictRetryMs, log: options.log });
  }

  /** Subscribes to the cached kinds and checks every object once. */
  start(): void {
    for (const [kind, { informer }] of this.#kinds) {
      const onChange = (obj: KubernetesObject) => {
        if (obj.metadata?.ownerReferences?.length || obj.metadata?.deletionTimestamp) this.#queue.add(this.#key(kind, obj));
      };
      this.#unsubscribe.push(informer.subscribe({
        add: onChange,
        update: onChange,
        delete: (gone) => {
          this.#danglingSince.delete(this.#key(kind, gone));
          for (const dep of this.#dependents(gone)) this.#queue.add(this.#key(dep.kind!, dep));
          // An owner waiting in the foreground may now be free.
          for (const ref of gone.metadata?.ownerReferences ?? []) {
            if (this.#kinds.has(ref.kind)) this.#queue.add(`${ref.kind}/${gone.metadata?.namespace ?? ""}/${ref.name}`);
          }
        },
      }));
      for (const obj of informer.list()) onChange(obj);
    }
  }

  /** Unsubscribes and drops queued work. */
  stop(): void {
    for (const u of this.#unsubscribe.splice(0)) u();
    this.#queue.stop();
  }

  #key(kind: string, obj: KubernetesObject): string {
    return `${kind}/${obj.metadata?.namespace ?? ""}/${obj.metadata?.name}`;
  }

  /** Cached objects that reference the owner. */
  #dependents(owner: KubernetesObject): KubernetesObject[] {
    const uid = owner.metadata?.uid;
    const ns = owner.metadata?.namespace;
    const out: KubernetesObject[] = [];
    for (const { informer } of this.#kinds.values()) {
      for (const obj of informer.list(ns)) if (obj.metadata?.ownerReferences?.some((r) => r.uid === uid)) out.push(obj);
    }
    return out;
  }

  async #sync(key: string): Promise<void> {
    const [kind, ns, name] = key.split("/") as [string, string, string];
    const cached = this.#kinds.get(kind)!;
    const obj = cached.informer.get(name, ns || undefined);
    if (!obj) return;
    if (hasFinalizer(obj, ORPHAN_FINALIZER)) await this.#orphanDependents(obj, cached);
    else if (hasFinalizer(obj, FOREGROUND_FINALIZER)) await this.#deleteForeground(obj, cached);
    if (obj.metadata?.ownerReferences?.length && !obj.metadata.deletionTimestamp) await this.#checkOwners(obj, cached);
    // An owner waiting in the foreground hears about its dependents going away through them.
    for (const ref of obj.metadata?.ownerReferences ?? []) {
      const owner = this.#kinds.get(ref.kind)?.informer.get(ref.name, ns || undefined);
      if (owner && owner.metadata?.uid === ref.uid && hasFinalizer(owner, FOREGROUND_FINALIZER)) this.#queue.add(this.#key(ref.kind, owner));
    }
  }

  /**
   * Deletes the object when all its owners are gone, or drops the references to the gone ones. A dangling reference
   * must have been seen for danglingGraceMs first (an API that orphans dependents right after removing their owner
   * gets that time), and the write carries the resourceVersion it was decided on.
   */
  async #checkOwners(obj: KubernetesObject, cached: Cached): Promise<void> {
    const key = this.#key(obj.kind!, obj);
    const refs = obj.metadata!.ownerReferences!;
    const gone: V1OwnerReference[] = [];
    for (const ref of refs) if (await this.#ownerGone(ref, obj.metadata?.namespace)) gone.push(ref);
    if (!gone.length) {
      this.#danglingSince.delete(key);
      return;
    }
    const since = this.#danglingSince.get(key) ?? Date.now();
    this.#danglingSince.set(key, since);
    const wait = since + this.#o.danglingGraceMs - Date.now();
    if (wait > 0) {
      this.#queue.addAfter(key, wait);
      return;
    }
    this.#danglingSince.delete(key);
    const { objects } = this.#o.apis;
    const target = { apiVersion: cached.apiVersion, kind: obj.kind!, metadata: { name: obj.metadata!.name!, namespace: obj.metadata?.namespace } };
    try {
      if (gone.length === refs.length) {
        this.#o.log.info("deleting object whose owners are gone", { object: key, owner: gone[0]!.name });
        await objects.delete(target, undefined, undefined, undefined, undefined, "Background", {
          preconditions: { uid: obj.metadata?.uid, resourceVersion: obj.metadata?.resourceVersion },
        });
      } else {
        const left = refs.filter((r) => !gone.includes(r));
        await objects.patch({ ...target, metadata: { ...target.metadata, ownerReferences: left, resourceVersion: obj.metadata?.resourceVersion } },
          undefined, undefined, undefined, undefined, PatchStrategy.MergePatch);
      }
    } catch (e) {
      // 409: the object changed since it was read (maybe orphaned by the API): its update event brings it back.
      if (statusOf(e) !== 404 && statusOf(e) !== 409) throw e;
    }
  }

  /** True when no object with the reference's uid exists (asked of the API when the cache does not have it). */
  async #ownerGone(ref: V1OwnerReference, namespace: string | undefined): Promise<boolean> {
    const cached = this.#kinds.get(ref.kind);
    const inCache = cached?.informer.get(ref.name, namespace);
    if (inCache?.metadata?.uid === ref.uid) return false;
    try {
      const live = await this.#o.apis.objects.read({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace } });
      return live.metadata?.uid !== ref.uid;
    } catch (e) {
      if (statusOf(e) === 404) return true;
      throw e;
    }
  }

  /**
   * Deletes the owner's dependents in the foreground too (each gets the foregroundDeletion finalizer before its
   * DELETE, so it waits for its own dependents), and releases the owner once no blocking dependent is left.
   */
  async #deleteForeground(owner: KubernetesObject, cached: Cached): Promise<void> {
    const deps = this.#dependents(owner);
    const { objects } = this.#o.apis;
    for (const dep of deps) {
      if (dep.metadata?.deletionTimestamp) continue;
      const target = { apiVersion: this.#kinds.get(dep.kind!)!.apiVersion, kind: dep.kind!, metadata: { name: dep.metadata!.name!, namespace: dep.metadata?.namespace } };
      try {
        // Pods have no dependents: a plain deletion (graceful on a node) is their foreground deletion.
        if (dep.kind !== "Pod" && !(dep.metadata?.finalizers ?? []).includes(FOREGROUND_FINALIZER)) {
          const finalizers = [...(dep.metadata?.finalizers ?? []), FOREGROUND_FINALIZER];
          await objects.patch({ ...target, metadata: { ...target.metadata, finalizers, resourceVersion: dep.metadata?.resourceVersion } },
            undefined, undefined, undefined, undefined, PatchStrategy.MergePatch);
        }
        await objects.delete(target, undefined, undefined, undefined, undefined, "Background");
      } catch (e) {
        if (statusOf(e) !== 404) throw e;
      }
    }
    const blocking = deps.some((d) => d.metadata?.ownerReferences?.some((r) => r.uid === owner.metadata?.uid && r.blockOwnerDeletion));
    if (!blocking) await this.#removeFinalizer(owner, cached, FOREGROUND_FINALIZER);
  }

  async #orphanDependents(owner: KubernetesObject, cached: Cached): Promise<void> {
    const uid = owner.metadata?.uid;
    for (const dep of this.#dependents(owner)) {
      const refs = (dep.metadata?.ownerReferences ?? []).filter((r) => r.uid !== uid);
      const apiVersion = this.#kinds.get(dep.kind!)!.apiVersion;
      try {
        await this.#o.apis.objects.patch(
          { apiVersion, kind: dep.kind!, metadata: { name: dep.metadata!.name!, namespace: dep.metadata?.namespace, ownerReferences: refs.length ? refs : null as never } },
          undefined, undefined, undefined, undefined, PatchStrategy.MergePatch,
        );
      } catch (e) {
        if (statusOf(e) !== 404) throw e;
      }
    }
    await this.#removeFinalizer(owner, cached, ORPHAN_FINALIZER);
  }

  async #removeFinalizer(owner: KubernetesObject, cached: Cached, finalizer: string): Promise<void> {
    const finalizers = (owner.metadata?.finalizers ?? []).filter((f) => f !== finalizer);
    try {
      await this.#o.apis.objects.patch(
        { apiVersion: cached.apiVersion, kind: owner.kind!, metadata: { name: owner.metadata!.name!, namespace: owner.metadata?.namespace, finalizers, resourceVersion: owner.metadata?.resourceVersion } },
        undefined, undefined, undefined, undefined, PatchStrategy.MergePatch,
      );
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
    }
  }
}
