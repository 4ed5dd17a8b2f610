/**
 * Deletion as a real apiserver does it: finalizers hold an object with `deletionTimestamp` set;
 * a pod bound to a node is deleted gracefully (it stays with `deletionTimestamp` and `deletionGracePeriodSeconds`
 * until the node confirms with a DELETE of grace 0, or a timeout force-deletes it); an unbound or finished pod goes
 * at once. Removing an owner deletes its dependents (propagation Background), or strips their ownerReference
 * while the owner waits with the `orphan` finalizer (Orphan); with Foreground the owner waits with the
 * `foregroundDeletion` finalizer until no dependent with blockOwnerDeletion is left. A namespace goes Terminating,
 * its content is deleted, then it goes. A CRD takes its custom resources with it.
 *
 * @module
 */
import { getPath, isPlainObject, type JsonObject, type KubeObject } from "../../kube/index.ts";
import type { Logger } from "../../log/index.ts";
import type { ObjectService } from "./object_service.ts";
import { isCrdResource } from "./object_rules.ts";
import { groupResource } from "./registry.ts";
import { conflict, forbidden, StatusError } from "./status_error.ts";
import type { ResourceInfo, StoredObject } from "./types.ts";

/** How dependents of a deleted owner are handled. */
export type PropagationPolicy = "Background" | "Foreground" | "Orphan";

/** The DeleteOptions body and query parameters. */
export type DeleteOptions = {
  gracePeriodSeconds?: number;
  propagationPolicy?: PropagationPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
};

/** Options of {@link Deleter}. */
export type DeleterOptions = {
  /** How long after its grace period a pod whose node never confirmed is force-deleted. @default 30000 (ms) */
  podDeletionTimeoutMs?: number;
};

const DEFAULTS = { podDeletionTimeoutMs: 30_000 } as const satisfies DeleterOptions;

/** The finalizer that holds an owner deleted with propagation Foreground until its blocking dependents are gone. */
const FOREGROUND_FINALIZER = "foregroundDeletion";
/** The finalizer an owner deleted with propagation Orphan carries while its dependents lose their references. */
const ORPHAN_FINALIZER = "orphan";

/** Namespaces that exist from the start and cannot be deleted. */
export const PROTECTED_NAMESPACES = ["default", "kube-system", "kube-public"] as const;

function nowText(ms = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
}

function isPod(info: ResourceInfo): boolean {
  return info.group === "" && info.resource === "pods";
}

function isNamespace(info: ResourceInfo): boolean {
  return info.group === "" && info.resource === "namespaces";
}

/** Deletes objects and runs what follows a removal. */
export class Deleter {
  #service: ObjectService;
  #log: Logger;
  #options: Required<DeleterOptions>;
  #timers = new Map<string, ReturnType<typeof setTimeout>>();
  #closed = false;

  constructor(service: ObjectService, log: Logger, options: DeleterOptions = {}) {
    this.#service = service;
    this.#log = log;
    this.#options = { podDeletionTimeoutMs: options.podDeletionTimeoutMs ?? DEFAULTS.podDeletionTimeoutMs };
    service.onRemoved((info, removed) => this.#afterRemove(info, removed, "Background"));
  }

  /** Picks up deletions that were in progress at the last stop: pod timeouts and terminating namespaces. */
  resume(): void {
    const { registry, storage } = this.#service;
    const pods = registry.lookup("", "v1", "pods")!;
    for (const { object } of storage.list("pods")) if (object.metadata?.deletionTimestamp) this.#schedulePodTimeout(pods, object);
    for (const { object } of storage.list("namespaces")) {
      if (object.metadata?.deletionTimestamp) this.#cleanNamespace(object.metadata.name!);
    }
  }

  /** Stops the pod deletion timers. */
  close(): void {
    this.#closed = true;
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
  }

  /**
   * Deletes one object (DELETE).
   *
   * @returns the object's last state and whether it is gone (false: it waits for finalizers or its node)
   * @throws StatusError 404 when absent, 409 when a precondition fails, 403 for a protected namespace
   */
  async delete(info: ResourceInfo, namespace: string, name: string, options: DeleteOptions = {}): Promise<{ stored: StoredObject; removed: boolean }> {
    const current = this.#service.get(info, namespace, name);
    const meta = current.object.metadata!;
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== meta.uid) throw conflict(info, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid}`);
    if (pre?.resourceVersion && pre.resourceVersion !== String(current.rv)) {
      throw conflict(info, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.rv}`);
    }
    if (isNamespace(info) && (PROTECTED_NAMESPACES as readonly string[]).includes(name)) {
      throw forbidden(`namespaces "${name}" is forbidden: this namespace may not be deleted`);
    }
    if (options.dryRun) return { stored: current, removed: false };
    if (isNamespace(info)) return this.#deleteNamespace(info, current);
    if (options.propagationPolicy === "Foreground" && !isPod(info) && this.#service.storage.dependentsOf(String(meta.uid)).length) {
      return this.#deleteInForeground(info, current);
    }
    const grace = this.#gracePeriod(info, current.object, options.gracePeriodSeconds);
    const finalizers = Array.isArray(meta.finalizers) ? meta.finalizers : [];
    if (grace === 0 && finalizers.length === 0) {
      const removed = await this.#remove(info, current, options.propagationPolicy ?? "Background");
      return { stored: removed, removed: true };
    }
    const previousGrace = typeof meta.deletionGracePeriodSeconds === "number" ? meta.deletionGracePeriodSeconds : undefined;
    if (meta.deletionTimestamp && previousGrace !== undefined && previousGrace <= grace) return { stored: current, removed: false };
    // Graceful: mark the object; the node (or the last finalizer's removal) completes the deletion.
    const next = structuredClone(current.object);
    // Rounded up to whole seconds (the timestamp's precision), so the deadline is never earlier than the grace period.
    next.metadata!.deletionTimestamp = nowText(Math.ceil((Date.now() + grace * 1000) / 1000) * 1000);
    next.metadata!.deletionGracePeriodSeconds = grace;
    const stored = await this.#service.storage.write(groupResource(info), next, current.rv);
    if (isPod(info) && grace > 0) this.#schedulePodTimeout(info, stored.object);
    if (isCrdResource(info)) await this.#deleteCustomResources(stored.object);
    return { stored, removed: false };
  }

  /**
   * Deletes every object of a list (DELETE on a collection); each follows the single-object rules.
   *
   * @returns the objects' last states
   */
  async deleteMany(info: ResourceInfo, targets: readonly StoredObject[], options: DeleteOptions): Promise<StoredObject[]> {
    const out: StoredObject[] = [];
    for (const t of targets) {
      try {
        out.push((await this.delete(info, t.object.metadata?.namespace ?? "", t.object.metadata!.name!, options)).stored);
      } catch (err) {
        if (!(err instanceof StatusError && err.code === 404)) throw err;
      }
    }
    return out;
  }

  #gracePeriod(info: ResourceInfo, obj: KubeObject, requested: number | undefined): number {
    if (!isPod(info)) return 0;
    const spec = isPlainObject(obj.spec) ? obj.spec : {};
    const phase = getPath(obj, "status.phase");
    if (!spec.nodeName || phase === "Succeeded" || phase === "Failed") return 0;
    const g = requested ?? (typeof spec.terminationGracePeriodSeconds === "number" ? spec.terminationGracePeriodSeconds : 30);
    return Math.max(0, g);
  }

  async #remove(info: ResourceInfo, target: StoredObject, policy: PropagationPolicy): Promise<StoredObject> {
    let current = target;
    const meta = current.object.metadata!;
    if (isCrdResource(info)) await this.#deleteCustomResources(current.object);
    if (policy === "Foreground") await this.#cascade(current.object, policy);
    if (policy === "Orphan" && this.#service.storage.dependentsOf(String(meta.uid)).length) current = await this.#orphanDependents(info, current);
    const removed = await this.#service.storage.remove(groupResource(info), meta.namespace ?? "", meta.name!, current.rv);
    this.#afterRemove(info, removed, policy);
    return removed;
  }

  #afterRemove(info: ResourceInfo, removed: StoredObject, policy: PropagationPolicy): void {
    const meta = removed.object.metadata!;
    this.#clearTimer(info, meta.namespace ?? "", meta.name!);
    if (isCrdResource(info)) {
      const spec = removed.object.spec as JsonObject;
      this.#service.registry.remove(`${getPath(spec, "names.plural")}.${spec.group}`);
    }
    if (policy === "Background") {
      this.#cascade(removed.object, policy).catch((err: unknown) => this.#log.warn("garbage collection failed", { owner: meta.name, err }));
    }
    for (const ref of Array.isArray(meta.ownerReferences) ? meta.ownerReferences : []) {
      if (!isPlainObject(ref) || typeof ref.uid !== "string") continue;
      const apiVersion = String(ref.apiVersion ?? "");
      const ownerInfo = this.#service.registry.byKind(apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "", String(ref.kind));
      if (!ownerInfo) continue;
      this.#releaseIfUnblocked(ownerInfo, ownerInfo.namespaced ? meta.namespace ?? "" : "", String(ref.name), ref.uid)
        .catch((err: unknown) => this.#log.warn("foreground deletion failed", { owner: ref.name, err }));
    }
    if (meta.namespace) this.#finishNamespaceIfEmpty(meta.namespace).catch((err: unknown) => this.#log.warn("namespace cleanup failed", { namespace: meta.namespace, err }));
  }

  /** Deletes (or orphans) the objects whose ownerReferences name the removed owner. */
  async #cascade(owner: KubeObject, policy: PropagationPolicy): Promise<void> {
    const uid = owner.metadata?.uid;
    if (typeof uid !== "string") return;
    const { registry, storage } = this.#service;
    for (const [gr, ns, name] of storage.dependentsOf(uid)) {
      const info = registry.byGroupResource(gr);
      const dep = storage.get(gr, ns, name);
      if (!info || !dep) continue;
      try {
        if (policy === "Orphan") {
          const next = structuredClone(dep.object);
          const refs = (next.metadata!.ownerReferences as JsonObject[]).filter((r) => r.uid !== uid);
          if (refs.length) next.metadata!.ownerReferences = refs;
          else delete next.metadata!.ownerReferences;
          await this.#service.commitUpdate(info, dep, next, { subresource: "internal" });
        } else {
          await this.delete(info, ns, name, { propagationPolicy: policy });
        }
      } catch (err) {
        if (!(err instanceof StatusError && (err.code === 404 || err.code === 409))) throw err;
      }
    }
  }

  /**
   * Foreground deletion as a real apiserver and garbage collector do it: the owner keeps `deletionTimestamp` and the
   * `foregroundDeletion` finalizer while its dependents are deleted (in the foreground too), and goes when no
   * dependent with blockOwnerDeletion is left.
   */
  async #deleteInForeground(info: ResourceInfo, current: StoredObject): Promise<{ stored: StoredObject; removed: boolean }> {
    const next = structuredClone(current.object);
    const meta = next.metadata!;
    const finalizers = Array.isArray(meta.finalizers) ? meta.finalizers : [];
    if (!finalizers.includes(FOREGROUND_FINALIZER)) meta.finalizers = [...finalizers, FOREGROUND_FINALIZER];
    meta.deletionTimestamp ??= nowText();
    meta.deletionGracePeriodSeconds ??= 0;
    const stored = await this.#service.storage.write(groupResource(info), next, current.rv);
    await this.#cascade(stored.object, "Foreground");
    await this.#releaseIfUnblocked(info, meta.namespace ?? "", meta.name!, String(meta.uid));
    const now = this.#service.storage.get(groupResource(info), meta.namespace ?? "", meta.name!);
    return now?.object.metadata?.uid === meta.uid ? { stored: now, removed: false } : { stored, removed: true };
  }

  /**
   * Orphan deletion as a real apiserver and garbage collector do it: the owner is first marked deleting (with the
   * `orphan` finalizer), so controllers stop adopting, then its dependents lose their reference, before it goes.
   *
   * @returns the marked owner, ready to be removed
   */
  async #orphanDependents(info: ResourceInfo, current: StoredObject): Promise<StoredObject> {
    const next = structuredClone(current.object);
    const meta = next.metadata!;
    const finalizers = Array.isArray(meta.finalizers) ? meta.finalizers : [];
    meta.finalizers = [...finalizers, ORPHAN_FINALIZER];
    meta.deletionTimestamp ??= nowText();
    meta.deletionGracePeriodSeconds ??= 0;
    const marked = await this.#service.storage.write(groupResource(info), next, current.rv);
    await this.#cascade(marked.object, "Orphan");
    // Re-read: a writer may have touched the owner meanwhile, and the removal checks the resourceVersion.
    return this.#service.storage.get(groupResource(info), meta.namespace ?? "", meta.name!) ?? marked;
  }

  /** Removes the foregroundDeletion finalizer of a waiting owner once no dependent with blockOwnerDeletion is left. */
  async #releaseIfUnblocked(info: ResourceInfo, namespace: string, name: string, uid: string): Promise<void> {
    const { storage } = this.#service;
    const owner = storage.get(groupResource(info), namespace, name);
    const meta = owner?.object.metadata;
    const finalizers = Array.isArray(meta?.finalizers) ? (meta.finalizers as string[]) : [];
    if (!owner || meta?.uid !== uid || !meta.deletionTimestamp || !finalizers.includes(FOREGROUND_FINALIZER)) return;
    const blocking = storage.dependentsOf(uid).some(([gr, ns, n]) => {
      const refs = storage.get(gr, ns, n)?.object.metadata?.ownerReferences;
      return Array.isArray(refs) && refs.some((r) => isPlainObject(r) && r.uid === uid && r.blockOwnerDeletion === true);
    });
    if (blocking) return;
    const next = structuredClone(owner.object);
    const left = finalizers.filter((f) => f !== FOREGROUND_FINALIZER);
    if (left.length) next.metadata!.finalizers = left;
    else delete next.metadata!.finalizers;
    await this.#service.commitUpdate(info, owner, next, { subresource: "internal" });
  }

  async #deleteNamespace(info: ResourceInfo, current: StoredObject): Promise<{ stored: StoredObject; removed: boolean }> {
    const name = current.object.metadata!.name!;
    let stored = current;
    if (!current.object.metadata!.deletionTimestamp) {
      const next = structuredClone(current.object);
      next.metadata!.deletionTimestamp = nowText();
      next.metadata!.deletionGracePeriodSeconds = 0;
      next.status = { ...(isPlainObject(next.status) ? next.status : {}), phase: "Terminating" };
      stored = await this.#service.storage.write(groupResource(info), next, current.rv);
    }
    this.#cleanNamespace(name);
    return { stored, removed: false };
  }

  /** Deletes the content of a terminating namespace in the background, then the namespace. */
  #cleanNamespace(namespace: string): void {
    const run = async () => {
      const { registry, storage } = this.#service;
      for (const gr of storage.resourcesIn(namespace)) {
        const info = registry.byGroupResource(gr);
        if (!info) continue;
        await this.deleteMany(info, storage.list(gr, namespace), { propagationPolicy: "Background" });
      }
      await this.#finishNamespaceIfEmpty(namespace);
    };
    run().catch((err: unknown) => this.#log.warn("namespace cleanup failed", { namespace, err }));
  }

  async #finishNamespaceIfEmpty(namespace: string): Promise<void> {
    const { storage, registry } = this.#service;
    const ns = storage.get("namespaces", "", namespace);
    if (!ns?.object.metadata?.deletionTimestamp || storage.resourcesIn(namespace).length) return;
    const info = registry.lookup("", "v1", "namespaces")!;
    const removed = await storage.remove("namespaces", "", namespace, ns.rv);
    this.#log.info("namespace deleted", { namespace });
    this.#afterRemove(info, removed, "Background");
  }

  /** Removes every object of the resource a CRD defines (before the CRD itself goes). */
  async #deleteCustomResources(crd: KubeObject): Promise<void> {
    const { registry, storage } = this.#service;
    const gr = `${getPath(crd, "spec.names.plural")}.${getPath(crd, "spec.group")}`;
    const info = registry.byGroupResource(gr);
    for (const s of [...storage.list(gr)]) {
      const meta = s.object.metadata!;
      const removed = await storage.remove(gr, meta.namespace ?? "", meta.name!, s.rv);
      if (info) this.#afterRemove(info, removed, "Background");
    }
  }

  #timerKey(info: ResourceInfo, namespace: string, name: string): string {
    return `${groupResource(info)}/${namespace}/${name}`;
  }

  #clearTimer(info: ResourceInfo, namespace: string, name: string): void {
    const key = this.#timerKey(info, namespace, name);
    const t = this.#timers.get(key);
    if (t) clearTimeout(t);
    this.#timers.delete(key);
  }

  #schedulePodTimeout(info: ResourceInfo, pod: KubeObject): void {
    if (this.#closed) return;
    const meta = pod.metadata!;
    const ns = meta.namespace ?? "", name = meta.name!, uid = meta.uid;
    this.#clearTimer(info, ns, name);
    const due = Date.parse(String(meta.deletionTimestamp)) + this.#options.podDeletionTimeoutMs;
    const timer = setTimeout(() => {
      this.#timers.delete(this.#timerKey(info, ns, name));
      const current = this.#service.storage.get("pods", ns, name);
      if (!current || current.object.metadata?.uid !== uid) return;
      this.#log.warn("pod deletion not confirmed by its node, deleting it", { pod: `${ns}/${name}`, node: getPath(current.object, "spec.nodeName") });
      this.delete(info, ns, name, { gracePeriodSeconds: 0 }).catch((err: unknown) => {
        if (!(err instanceof StatusError && err.code === 404)) this.#log.warn("forced pod deletion failed", { pod: `${ns}/${name}`, err });
      });
    }, Math.max(0, due - Date.now()));
    timer.unref?.();
    this.#timers.set(this.#timerKey(info, ns, name), timer);
  }
}
