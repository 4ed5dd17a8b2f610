/**
 * The Deployment controller: turns a Deployment into ReplicaSets. The ReplicaSet whose template equals the
 * Deployment's is the new one (named `<deployment>-<pod-template-hash>`, created when missing); the others are old.
 * RollingUpdate grows the new one within maxSurge and shrinks the old ones within maxUnavailable; Recreate removes
 * every old pod first. A change of `replicas` is spread over the active ReplicaSets. Revisions are kept in
 * annotations (so `kubectl rollout history` and `undo` work), and status and conditions are what
 * `kubectl rollout status` waits for.
 *
 * @module
 */
import type { V1Deployment, V1Pod, V1ReplicaSet } from "@kubernetes/client-node";
import { labelSelectorFromObject, matchesLabels } from "../../kube/index.ts";
import type { Logger } from "../../log/index.ts";
import { claimObjects, ownerRefsPatch } from "./_claim.ts";
import { maxRevision, newReplicaSetAnnotations, REVISION_ANNOTATION, revisionOf, sizeAnnotations } from "./_deployment_revision.ts";
import { deploymentStatus, deploymentStatusChanged, type RolloutEvent } from "./_deployment_status.ts";
import { rollingBounds } from "./_int_or_percent.ts";
import { conflictRetryMs, type KubeApis, MERGE_PATCH, statusOf, stillLive } from "./_kube_apis.ts";
import { controllerRefOf, isControlledBy, newControllerRef } from "./_owner_refs.ts";
import { POD_TEMPLATE_HASH_LABEL, podTemplateHash, sameTemplate } from "./_pod_template_hash.ts";
import {
  isScalingEvent, oldestFirst, proportionalScale, rollingNewReplicas, rollingOldScaleDown, type ScalePlan, specReplicas,
} from "./_rollout_plan.ts";
import type { EventRecorder } from "./event_recorder.ts";
import { objectKey } from "./informer.ts";
import type { Informers } from "./informers.ts";
import { WorkQueue } from "./work_queue.ts";

/** Options of {@link DeploymentController}. */
export type DeploymentControllerOptions = {
  informers: Informers;
  apis: KubeApis;
  record: EventRecorder;
  log: Logger;
  /** Deployments reconciled at once. @default 4 */
  concurrency?: number;
};

/** One sync's view of a Deployment and its ReplicaSets. */
type View = {
  d: V1Deployment;
  ns: string;
  newRS?: V1ReplicaSet;
  old: V1ReplicaSet[];
  surge: number;
  unavailable: number;
  event: RolloutEvent;
};

/** Reconciles Deployments against their ReplicaSets. */
export class DeploymentController {
  readonly #o: DeploymentControllerOptions;
  readonly #queue: WorkQueue;
  readonly #unsubscribe: (() => void)[] = [];

  constructor(options: DeploymentControllerOptions) {
    this.#o = options;
    this.#queue = new WorkQueue((key) => this.#sync(key), { concurrency: options.concurrency ?? 4, expectedRetryMs: conflictRetryMs, log: options.log });
  }

  /** Subscribes to the caches and queues every Deployment. */
  start(): void {
    const { deployments, replicaSets, pods } = this.#o.informers;
    const onDeployment = (d: V1Deployment) => this.#queue.add(objectKey(d));
    const onRS = (rs: V1ReplicaSet) => this.#onReplicaSet(rs);
    this.#unsubscribe.push(
      deployments.subscribe({ add: onDeployment, update: onDeployment, delete: onDeployment }),
      replicaSets.subscribe({
        add: onRS,
        update: (rs, old) => {
          onRS(rs);
          if (controllerRefOf(old)?.uid !== controllerRefOf(rs)?.uid) onRS(old);
        },
        delete: onRS,
      }),
      // Recreate waits until every old pod is gone.
      pods.subscribe({ delete: (pod) => this.#onPodGone(pod) }),
    );
    for (const d of deployments.list()) this.#queue.add(objectKey(d));
  }

  /** Unsubscribes and drops queued work. */
  stop(): void {
    for (const u of this.#unsubscribe.splice(0)) u();
    this.#queue.stop();
  }


  #onReplicaSet(rs: V1ReplicaSet): void {
    const ns = rs.metadata?.namespace ?? "";
    const ref = controllerRefOf(rs);
    if (ref) {
      if (ref.kind === "Deployment") this.#queue.add(`${ns}/${ref.name}`);
      return;
    }
    for (const d of this.#o.informers.deployments.list(ns)) {
      const selector = labelSelectorFromObject(d.spec?.selector);
      if (selector.requirements.length && matchesLabels(selector, rs.metadata?.labels)) this.#queue.add(objectKey(d));
    }
  }

  #onPodGone(pod: V1Pod): void {
    const ref = controllerRefOf(pod);
    if (ref?.kind !== "ReplicaSet") return;
    const rs = this.#o.informers.replicaSets.get(ref.name, pod.metadata?.namespace);
    const owner = rs && controllerRefOf(rs);
    if (owner?.kind === "Deployment") this.#queue.add(`${pod.metadata?.namespace}/${owner.name}`);
  }

  async #sync(key: string): Promise<void> {
    const [ns, name] = key.split("/") as [string, string];
    const d = this.#o.informers.deployments.get(name, ns);
    if (!d || d.metadata?.deletionTimestamp) return;
    const selector = labelSelectorFromObject(d.spec?.selector);
    if (!selector.requirements.length) {
      this.#o.record(d, "Warning", "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
      return;
    }
    const { apps } = this.#o.apis;
    const sets = await claimObjects(newControllerRef(d, "apps/v1", "Deployment"), selector, this.#o.informers.replicaSets.list(ns), true, {
      setOwnerRefs: (rs, refs) => apps.patchNamespacedReplicaSet({ name: rs.metadata!.name!, namespace: ns, body: ownerRefsPatch(rs, refs) }, MERGE_PATCH),
      ownerStillLive: () => stillLive(() => apps.readNamespacedDeployment({ name, namespace: ns }), d.metadata?.uid),
    });
    const replicas = d.spec?.replicas ?? 1;
    const rolling = d.spec?.strategy?.type !== "Recreate";
    const ru = d.spec?.strategy?.rollingUpdate;
    const { surge, unavailable } = rolling ? rollingBounds(replicas, ru?.maxSurge, ru?.maxUnavailable) : { surge: 0, unavailable: 0 };
    // Of several sets with the current template (possible after a hash collision) the oldest is the new one.
    const newRS = oldestFirst(sets).find((rs) => sameTemplate(rs.spec?.template, d.spec?.template));
    const view: View = { d, ns, newRS, old: sets.filter((rs) => rs !== newRS), surge, unavailable, event: "none" };
    if (d.spec?.paused) {
      if (isScalingEvent(d, sets)) await this.#apply(view, proportionalScale(d, surge, newRS, sets));
    } else if (isScalingEvent(d, sets)) {
      if (view.newRS) await this.#syncRevision(view);
      await this.#apply(view, proportionalScale(d, surge, view.newRS, [...(view.newRS ? [view.newRS] : []), ...view.old]));
    } else if (rolling) await this.#rollingUpdate(view);
    else await this.#recreate(view);
    await this.#writeStatus(view);
  }

  async #rollingUpdate(view: View): Promise<void> {
    const replicas = view.d.spec?.replicas ?? 1;
    if (!view.newRS) {
      await this.#createNewRS(view, rollingNewReplicas(replicas, view.surge, view.old, undefined));
      return;
    }
    await this.#syncRevision(view);
    const all = [view.newRS, ...view.old];
    const current = specReplicas(view.newRS);
    const target = rollingNewReplicas(replicas, view.surge, all, view.newRS);
    if (target !== current) {
      await this.#apply(view, new Map([[view.newRS.metadata!.name!, target]]));
      // A scale-up waits for its pods before old ones shrink (on a later sync).
      if (target > current) return;
    }
    const plan = rollingOldScaleDown(replicas, view.unavailable, view.newRS, view.old);
    if (plan.size) await this.#apply(view, plan);
    else if (this.#complete(view)) await this.#cleanup(view);
  }

  async #recreate(view: View): Promise<void> {
    const activeOld = view.old.filter((rs) => specReplicas(rs) > 0);
    if (activeOld.length) {
      await this.#apply(view, new Map(activeOld.map((rs) => [rs.metadata!.name!, 0])));
      return;
    }
    const oldUids = new Set(view.old.map((rs) => rs.metadata?.uid));
    const running = this.#o.informers.pods.list(view.ns).some((p) => {
      const phase = p.status?.phase;
      return oldUids.has(controllerRefOf(p)?.uid) && phase !== "Succeeded" && phase !== "Failed";
    });
    if (running) return;
    const replicas = view.d.spec?.replicas ?? 1;
    if (!view.newRS) {
      await this.#createNewRS(view, replicas);
      return;
    }
    await this.#syncRevision(view);
    if (specReplicas(view.newRS) !== replicas) await this.#apply(view, new Map([[view.newRS.metadata!.name!, replicas]]));
    else if (this.#complete(view)) await this.#cleanup(view);
  }

  #complete(view: View): boolean {
    const replicas = view.d.spec?.replicas ?? 1;
    const rs = view.newRS;
    return !!rs && specReplicas(rs) === replicas && (rs.status?.availableReplicas ?? 0) === replicas && view.old.every((o) => specReplicas(o) === 0);
  }

  /** Creates the ReplicaSet of the current template with `replicas` pods and the next revision. */
  async #createNewRS(view: View, replicas: number): Promise<void> {
    const { d, ns } = view;
    const hash = podTemplateHash(d.spec!.template, d.status?.collisionCount);
    const template = structuredClone(d.spec!.template);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash } };
    const selector = structuredClone(d.spec!.selector);
    selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash };
    const name = `${d.metadata!.name}-${hash}`;
    const body: V1ReplicaSet = {
      apiVersion: "apps/v1", kind: "ReplicaSet",
      metadata: {
        name, namespace: ns, labels: template.metadata.labels,
        annotations: newReplicaSetAnnotations(d, {}, maxRevision(view.old) + 1, view.surge),
        ownerReferences: [newControllerRef(d, "apps/v1", "Deployment")],
      },
      spec: { replicas, minReadySeconds: d.spec?.minReadySeconds, selector, template },
    };
    let created: V1ReplicaSet;
    try {
      created = await this.#o.apis.apps.createNamespacedReplicaSet({ namespace: ns, body });
    } catch (e) {
      if (statusOf(e) !== 409) throw e;
      const existing = await this.#o.apis.apps.readNamespacedReplicaSet({ name, namespace: ns });
      if (isControlledBy(existing, d) && sameTemplate(existing.spec?.template, d.spec?.template)) {
        view.newRS = JSON.parse(JSON.stringify(existing)) as V1ReplicaSet;
        return;
      }
      // Another object holds the name: a hash collision. A new collisionCount gives a new hash on the next sync.
      await this.#o.apis.apps.patchNamespacedDeploymentStatus(
        { name: d.metadata!.name!, namespace: ns, body: { status: { collisionCount: (d.status?.collisionCount ?? 0) + 1 } } }, MERGE_PATCH,
      );
      throw new Error(`Cannot create replica set "${ns}/${name}": the name is taken by another template; retrying with a new hash`);
    }
    view.newRS = JSON.parse(JSON.stringify(created)) as V1ReplicaSet;
    view.event = "created";
    if (replicas > 0) this.#o.record(d, "Normal", "ScalingReplicaSet", `Scaled up replica set ${name} from 0 to ${replicas}`);
    await this.#setDeploymentRevision(view, revisionOf(created));
  }

  /** Gives the new ReplicaSet the next revision when an older template came back (rollback) and refreshes its sizes. */
  async #syncRevision(view: View): Promise<void> {
    const rs = view.newRS!;
    const current = rs.metadata?.annotations ?? {};
    const wanted = newReplicaSetAnnotations(view.d, current, maxRevision(view.old) + 1, view.surge);
    if (Object.entries(wanted).some(([k, v]) => current[k] !== v)) {
      const patched = await this.#o.apis.apps.patchNamespacedReplicaSet({
        name: rs.metadata!.name!, namespace: view.ns, body: { metadata: { annotations: wanted, resourceVersion: rs.metadata?.resourceVersion } },
      }, MERGE_PATCH);
      view.newRS = JSON.parse(JSON.stringify(patched)) as V1ReplicaSet;
    }
    await this.#setDeploymentRevision(view, revisionOf(view.newRS));
  }

  async #setDeploymentRevision(view: View, revision: number): Promise<void> {
    if (revisionOf(view.d) === revision || revision === 0) return;
    await this.#o.apis.apps.patchNamespacedDeployment({
      name: view.d.metadata!.name!, namespace: view.ns, body: { metadata: { annotations: { [REVISION_ANNOTATION]: String(revision) } } },
    }, MERGE_PATCH);
  }

  /** Scales ReplicaSets to the planned sizes (only if unchanged since read) and records ScalingReplicaSet events. */
  async #apply(view: View, plan: ScalePlan): Promise<void> {
    const byName = new Map([...(view.newRS ? [view.newRS] : []), ...view.old].map((rs) => [rs.metadata!.name!, rs]));
    for (const [name, replicas] of plan) {
      const rs = byName.get(name);
      if (!rs) continue;
      const from = specReplicas(rs);
      const annotations = replicas > 0 ? sizeAnnotations(view.d, view.surge) : {};
      const sameAnnotations = Object.entries(annotations).every(([k, v]) => rs.metadata?.annotations?.[k] === v);
      if (from === replicas && sameAnnotations) continue;
      const patched = await this.#o.apis.apps.patchNamespacedReplicaSet({
        name, namespace: view.ns,
        body: { metadata: { annotations, resourceVersion: rs.metadata?.resourceVersion }, spec: { replicas } },
      }, MERGE_PATCH);
      const fresh = JSON.parse(JSON.stringify(patched)) as V1ReplicaSet;
      if (rs === view.newRS) view.newRS = fresh;
      else view.old = view.old.map((o) => (o === rs ? fresh : o));
      if (from !== replicas) {
        this.#o.record(view.d, "Normal", "ScalingReplicaSet", `Scaled ${replicas > from ? "up" : "down"} replica set ${name} from ${from} to ${replicas}`);
      }
    }
  }

  /** Deletes the oldest empty ReplicaSets beyond revisionHistoryLimit. */
  async #cleanup(view: View): Promise<void> {
    const limit = view.d.spec?.revisionHistoryLimit ?? 10;
    const empty = view.old.filter((rs) =>
      specReplicas(rs) === 0 && (rs.status?.replicas ?? 0) === 0 && !rs.metadata?.deletionTimestamp &&
      (rs.status?.observedGeneration ?? 0) >= (rs.metadata?.generation ?? 0));
    const surplus = empty.length - limit;
    if (surplus <= 0) return;
    const victims = [...empty].sort((a, b) => revisionOf(a) - revisionOf(b)).slice(0, surplus);
    for (const rs of victims) {
      try {
        await this.#o.apis.apps.deleteNamespacedReplicaSet({ name: rs.metadata!.name!, namespace: view.ns, body: { preconditions: { uid: rs.metadata?.uid } } });
      } catch (e) {
        if (statusOf(e) !== 404 && statusOf(e) !== 409) throw e;
      }
    }
  }

  async #writeStatus(view: View): Promise<void> {
    const all = [...(view.newRS ? [view.newRS] : []), ...view.old];
    const { status, deadlineInMs } = deploymentStatus(view.d, view.newRS, all, view.unavailable, view.event);
    if (deploymentStatusChanged(view.d.status, status)) {
      try {
        await this.#o.apis.apps.patchNamespacedDeploymentStatus({ name: view.d.metadata!.name!, namespace: view.ns, body: { status } }, MERGE_PATCH);
      } catch (e) {
        if (statusOf(e) !== 404) throw e;
      }
    }
    if (deadlineInMs !== undefined) this.#queue.addAfter(objectKey(view.d), Math.max(0, deadlineInMs) + 100);
  }
}
