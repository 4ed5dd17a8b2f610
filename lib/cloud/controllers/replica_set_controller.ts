/**
 * The ReplicaSet controller: keeps `spec.replicas` pods of a ReplicaSet's template alive. It adopts matching orphan
 * pods, creates missing pods in slow-start batches (1, 2, 4, ...; a failing batch stops the rest), deletes surplus
 * pods in {@link deletionOrder}, waits for its cache to see its own changes before counting again (expectations), and
 * reports status.
 *
 * @module
 */
import type { V1Pod, V1ReplicaSet } from "@kubernetes/client-node";
import { labelSelectorFromObject, matchesLabels } from "../../kube/index.ts";
import type { Logger } from "../../log/index.ts";
import { claimObjects, ownerRefsPatch } from "./_claim.ts";
import { withDefaults } from "./_defaults.ts";
import { Expectations } from "./_expectations.ts";
import { conflictRetryMs, type KubeApis, MERGE_PATCH, messageOf, statusOf, stillLive } from "./_kube_apis.ts";
import { controllerRefOf, newControllerRef } from "./_owner_refs.ts";
import { deletionOrder } from "./_pod_deletion_order.ts";
import { isPodActive } from "./_pod_status.ts";
import { type ReplicaFailure, replicaSetStatus, replicaSetStatusChanged } from "./_replica_set_status.ts";
import type { EventRecorder } from "./event_recorder.ts";
import { objectKey } from "./informer.ts";
import type { Informers } from "./informers.ts";
import { WorkQueue } from "./work_queue.ts";

/** Options of {@link ReplicaSetController}. */
export type ReplicaSetControllerOptions = {
  informers: Informers;
  apis: KubeApis;
  record: EventRecorder;
  log: Logger;
  /** Pods created or deleted per reconcile at most. @default 500 */
  burstReplicas?: number;
  /** Unmet expectations stop blocking a ReplicaSet after this long. @default 60000 */
  expectationsTimeoutMs?: number;
  /** ReplicaSets reconciled at once. @default 8 */
  concurrency?: number;
};

const DEFAULTS = { burstReplicas: 500, expectationsTimeoutMs: 60_000, concurrency: 8 } as const satisfies Partial<ReplicaSetControllerOptions>;

/** Reconciles ReplicaSets against their pods. */
export class ReplicaSetController {
  readonly #o: ReplicaSetControllerOptions & Required<Pick<ReplicaSetControllerOptions, keyof typeof DEFAULTS>>;
  readonly #queue: WorkQueue;
  readonly #expectations: Expectations;
  readonly #unsubscribe: (() => void)[] = [];

  constructor(options: ReplicaSetControllerOptions) {
    this.#o = withDefaults(DEFAULTS, options);
    this.#expectations = new Expectations(this.#o.expectationsTimeoutMs);
    this.#queue = new WorkQueue((key) => this.#sync(key), { concurrency: this.#o.concurrency, expectedRetryMs: conflictRetryMs, log: this.#o.log });
  }

  /** Subscribes to the caches and queues every ReplicaSet. */
  start(): void {
    const { pods, replicaSets } = this.#o.informers;
    this.#unsubscribe.push(
      replicaSets.subscribe({
        add: (rs) => this.#queue.add(objectKey(rs)),
        update: (rs) => this.#queue.add(objectKey(rs)),
        delete: (rs) => {
          this.#expectations.forget(objectKey(rs));
          this.#queue.add(objectKey(rs));
        },
      }),
      pods.subscribe({
        add: (pod) => this.#onPod(pod, pod.metadata?.deletionTimestamp ? "deleted" : "created"),
        update: (pod, old) => {
          if (pod.metadata?.deletionTimestamp && !old.metadata?.deletionTimestamp) this.#onPod(pod, "deleted");
          else this.#onPod(pod);
          const before = controllerRefOf(old), now = controllerRefOf(pod);
          if (before && before.uid !== now?.uid) this.#onPod(old);
        },
        delete: (pod) => this.#onPod(pod, "deleted"),
      }),
    );
    for (const rs of replicaSets.list()) this.#queue.add(objectKey(rs));
  }

  /** Unsubscribes and drops queued work. */
  stop(): void {
    for (const u of this.#unsubscribe.splice(0)) u();
    this.#queue.stop();
  }


  /** Queues the pod's ReplicaSet (or, for an orphan, every ReplicaSet that may adopt it) and counts expectations. */
  #onPod(pod: V1Pod, seen?: "created" | "deleted"): void {
    const ns = pod.metadata?.namespace ?? "";
    const ref = controllerRefOf(pod);
    if (ref) {
      if (ref.kind !== "ReplicaSet") return;
      const rs = this.#o.informers.replicaSets.get(ref.name, ns);
      if (!rs || rs.metadata?.uid !== ref.uid) return;
      const key = objectKey(rs);
      if (seen === "created") this.#expectations.creationObserved(key);
      if (seen === "deleted") this.#expectations.deletionObserved(key, pod.metadata!.name!);
      this.#queue.add(key);
      return;
    }
    if (seen === "deleted") return;
    for (const rs of this.#o.informers.replicaSets.list(ns)) {
      const selector = labelSelectorFromObject(rs.spec?.selector);
      if (!selector.requirements.length) continue;
      if (matchesLabels(selector, pod.metadata?.labels)) this.#queue.add(objectKey(rs));
    }
  }

  async #sync(key: string): Promise<void> {
    const [ns, name] = key.split("/") as [string, string];
    const rs = this.#o.informers.replicaSets.get(name, ns);
    if (!rs) {
      this.#expectations.forget(key);
      return;
    }
    const selector = labelSelectorFromObject(rs.spec?.selector);
    const ref = newControllerRef(rs, "apps/v1", "ReplicaSet");
    const { core } = this.#o.apis;
    const owned = await claimObjects(ref, selector, this.#o.informers.pods.list(ns), !rs.metadata?.deletionTimestamp, {
      setOwnerRefs: (pod, refs) => core.patchNamespacedPod({ name: pod.metadata!.name!, namespace: ns, body: ownerRefsPatch(pod, refs) }, MERGE_PATCH),
      ownerStillLive: () => stillLive(() => this.#o.apis.apps.readNamespacedReplicaSet({ name, namespace: ns }), rs.metadata?.uid),
    });
    const active = owned.filter(isPodActive);
    let failure: ReplicaFailure | undefined;
    if (this.#expectations.satisfied(key) && !rs.metadata?.deletionTimestamp) failure = await this.#manage(key, rs, active);
    const { status, recheckInMs } = replicaSetStatus(rs, active, failure);
    if (replicaSetStatusChanged(rs.status, status)) {
      try {
        await this.#o.apis.apps.patchNamespacedReplicaSetStatus({ name, namespace: ns, body: { status: { ...status, conditions: status.conditions ?? null } } }, MERGE_PATCH);
      } catch (e) {
        if (statusOf(e) !== 404) throw e;
      }
    }
    if (recheckInMs !== undefined) this.#queue.addAfter(key, Math.max(recheckInMs, 0) + 50);
    if (failure) throw new Error(`Cannot scale replica set "${key}": ${failure.message}`);
  }

  /** Creates or deletes pods toward spec.replicas. @returns the failure to report, if any */
  async #manage(key: string, rs: V1ReplicaSet, active: V1Pod[]): Promise<ReplicaFailure | undefined> {
    const diff = active.length - (rs.spec?.replicas ?? 1);
    if (diff < 0) return this.#create(key, rs, Math.min(-diff, this.#o.burstReplicas));
    if (diff > 0) return this.#delete(key, rs, deletionOrder(active).slice(0, Math.min(diff, this.#o.burstReplicas)));
    return undefined;
  }

  async #create(key: string, rs: V1ReplicaSet, count: number): Promise<ReplicaFailure | undefined> {
    const ns = rs.metadata!.namespace!;
    const template = rs.spec?.template ?? {};
    const body: V1Pod = {
      apiVersion: "v1", kind: "Pod",
      metadata: {
        generateName: `${rs.metadata!.name}-`, namespace: ns,
        labels: template.metadata?.labels, annotations: template.metadata?.annotations, finalizers: template.metadata?.finalizers,
        ownerReferences: [newControllerRef(rs, "apps/v1", "ReplicaSet")],
      },
      spec: template.spec,
    };
    this.#expectations.expectCreations(key, count);
    let remaining = count, batch = 1;
    let failure: ReplicaFailure | undefined;
    while (remaining > 0 && !failure) {
      const size = Math.min(batch, remaining);
      remaining -= size;
      const results = await Promise.allSettled(Array.from({ length: size }, () => this.#o.apis.core.createNamespacedPod({ namespace: ns, body })));
      for (const r of results) {
        if (r.status === "fulfilled") {
          this.#o.record(rs, "Normal", "SuccessfulCreate", `Created pod: ${r.value.metadata?.name}`);
          continue;
        }
        this.#expectations.creationObserved(key);
        const message = messageOf(r.reason);
        failure ??= { reason: "FailedCreate", message };
        // A terminating namespace refuses new pods: expected while it is being cleaned up, not worth a warning.
        if (statusOf(r.reason) !== 403) this.#o.record(rs, "Warning", "FailedCreate", `Error creating: ${message}`);
      }
      batch *= 2;
    }
    for (let i = 0; i < remaining; i++) this.#expectations.creationObserved(key);
    return failure?.reason === "FailedCreate" && /being terminated/.test(failure.message) ? undefined : failure;
  }

  async #delete(key: string, rs: V1ReplicaSet, victims: V1Pod[]): Promise<ReplicaFailure | undefined> {
    const ns = rs.metadata!.namespace!;
    this.#expectations.expectDeletions(key, victims.map((p) => p.metadata!.name!));
    let failure: ReplicaFailure | undefined;
    await Promise.all(victims.map(async (pod) => {
      const name = pod.metadata!.name!;
      try {
        await this.#o.apis.core.deleteNamespacedPod({ name, namespace: ns, body: { preconditions: { uid: pod.metadata?.uid } } });
        this.#o.record(rs, "Normal", "SuccessfulDelete", `Deleted pod: ${name}`);
      } catch (e) {
        this.#expectations.deletionObserved(key, name);
        const code = statusOf(e);
        if (code === 404 || code === 409) return;
        failure ??= { reason: "FailedDelete", message: messageOf(e) };
        this.#o.record(rs, "Warning", "FailedDelete", `Error deleting: ${messageOf(e)}`);
      }
    }));
    return failure;
  }
}
