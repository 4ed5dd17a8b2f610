/**
 * The scheduler: binds each pending pod (no nodeName, schedulerName "default-scheduler" or empty) to a node through
 * the `pods/binding` subresource. A node qualifies when it is schedulable (or tolerated when cordoned), its taints are
 * tolerated, it is Ready, it matches the pod's nodeSelector and required node affinity, and it has room for the
 * pod (allocatable pods, cpu, memory). Among those it picks the node with the fewest pods of the same owner, then the
 * fewest pods, so replicas spread. Decisions are taken one at a time on the cache plus the pods it has just bound
 * (assumed), while the bindings themselves run concurrently. A pod that fits nowhere gets a FailedScheduling event and
 * its PodScheduled condition, and is retried when nodes or pods change, and with backoff.
 *
 * @module
 */
import type { V1Node, V1Pod, V1PodCondition } from "@kubernetes/client-node";
import { findCondition } from "../../kube/index.ts";
import type { Logger } from "../../log/index.ts";
import { type KubeApis, MERGE_PATCH, messageOf, statusOf } from "./_kube_apis.ts";
import { NodeUsageIndex } from "./_node_usage.ts";
import { controllerRefOf } from "./_owner_refs.ts";
import { podRequests, type PodRequests } from "./_pod_status.ts";
import { filterNode, unschedulableMessage } from "./_scheduler_filters.ts";
import { canonicalJson } from "./_pod_template_hash.ts";
import { withDefaults } from "./_defaults.ts";
import { apiTime } from "./_time.ts";
import type { EventRecorder } from "./event_recorder.ts";
import { objectKey } from "./informer.ts";
import type { Informers } from "./informers.ts";
import { WorkQueue } from "./work_queue.ts";

/** Options of {@link Scheduler}. */
export type SchedulerOptions = {
  informers: Informers;
  apis: KubeApis;
  record: EventRecorder;
  log: Logger;
  /** Pods whose spec.schedulerName is this (or empty) are scheduled here. @default "default-scheduler" */
  schedulerName?: string;
  /** Binding requests in flight at once. @default 32 */
  bindConcurrency?: number;
  /** First retry delay of an unschedulable pod; doubles per attempt. @default 1000 */
  initialBackoffMs?: number;
  /** @default 10000 */
  maxBackoffMs?: number;
};

const DEFAULTS = { schedulerName: "default-scheduler", bindConcurrency: 32, initialBackoffMs: 1000, maxBackoffMs: 10_000 } as const satisfies Partial<SchedulerOptions>;

function isTerminal(pod: V1Pod): boolean {
  return pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
}

/** The parts of a node that decide where pods fit (heartbeats change none of them). */
function schedulingView(node: V1Node): string {
  const ready = findCondition(node.status, "Ready")?.status;
  return canonicalJson([node.metadata?.labels, node.spec?.taints, node.spec?.unschedulable, node.status?.allocatable, node.status?.capacity, ready]);
}

/** Binds pending pods to nodes. */
export class Scheduler {
  readonly #o: SchedulerOptions & Required<Pick<SchedulerOptions, keyof typeof DEFAULTS>>;
  readonly #queue: WorkQueue;
  readonly #usage = new NodeUsageIndex();
  /** Pods bound by this scheduler that the cache does not show bound yet. */
  readonly #assumed = new Set<string>();
  /** Pods that fit nowhere, with their attempt counts. */
  readonly #unschedulable = new Map<string, number>();
  readonly #unsubscribe: (() => void)[] = [];
  #binding = 0;
  #slotWaiters: (() => void)[] = [];

  constructor(options: SchedulerOptions) {
    this.#o = withDefaults(DEFAULTS, options);
    this.#queue = new WorkQueue((key) => this.#schedule(key), { concurrency: 1, log: options.log });
  }

  /** Subscribes to pods and nodes, counts bound pods and queues pending ones. */
  start(): void {
    const { pods, nodes } = this.#o.informers;
    this.#unsubscribe.push(
      pods.subscribe({
        add: (pod) => this.#track(pod),
        update: (pod, old) => {
          this.#track(pod);
          if ((isTerminal(pod) && !isTerminal(old)) || (pod.spec?.nodeName && !old.spec?.nodeName)) this.#flush();
        },
        delete: (pod) => {
          const key = objectKey(pod);
          this.#usage.remove(key);
          this.#assumed.delete(key);
          this.#unschedulable.delete(key);
          this.#flush();
        },
      }),
      nodes.subscribe({
        add: () => this.#flush(),
        update: (node, old) => {
          if (schedulingView(node) !== schedulingView(old)) this.#flush();
        },
      }),
    );
    for (const pod of pods.list()) this.#track(pod);
  }

  /** Unsubscribes and drops queued work. */
  stop(): void {
    for (const u of this.#unsubscribe.splice(0)) u();
    this.#queue.stop();
  }


  #responsible(pod: V1Pod): boolean {
    const name = pod.spec?.schedulerName;
    return !name || name === this.#o.schedulerName;
  }

  #needsScheduling(pod: V1Pod): boolean {
    return !pod.spec?.nodeName && !pod.metadata?.deletionTimestamp && !isTerminal(pod) && this.#responsible(pod);
  }

  /** Brings the usage index in line with a pod from the cache and queues it when it waits for a node. */
  #track(pod: V1Pod): void {
    const key = objectKey(pod);
    const node = pod.spec?.nodeName;
    if (node && !isTerminal(pod)) {
      this.#assumed.delete(key);
      this.#usage.place(key, node, this.#requestsOrNone(pod), controllerRefOf(pod)?.uid);
      return;
    }
    if (node) this.#usage.remove(key);
    if (this.#needsScheduling(pod) && !this.#assumed.has(key) && !this.#unschedulable.has(key)) this.#queue.add(key);
  }

  #requestsOrNone(pod: V1Pod): PodRequests {
    try {
      return podRequests(pod);
    } catch {
      return { cpuMilli: 0, memoryBytes: 0 };
    }
  }

  /** Something changed that may make room: every unschedulable pod gets another try. */
  #flush(): void {
    for (const key of this.#unschedulable.keys()) this.#queue.add(key);
  }

  async #schedule(key: string): Promise<void> {
    const [ns, name] = key.split("/") as [string, string];
    const pod = this.#o.informers.pods.get(name, ns);
    if (!pod || !this.#needsScheduling(pod)) {
      this.#unschedulable.delete(key);
      return;
    }
    if (this.#assumed.has(key)) return;
    let requests: PodRequests;
    try {
      requests = podRequests(pod);
    } catch (e) {
      this.#o.record(pod, "Warning", "FailedScheduling", `Pod has an invalid resource request: ${(e as Error).message}`);
      return;
    }
    const owner = controllerRefOf(pod)?.uid;
    const reasons: string[][] = [];
    let best: { node: string; same: number; pods: number } | undefined;
    for (const node of this.#o.informers.nodes.list()) {
      const nodeName = node.metadata!.name!;
      const usage = this.#usage.usage(nodeName);
      const why = this.#filter(pod, requests, node, usage);
      if (why.length) {
        reasons.push(why);
        continue;
      }
      const candidate = { node: nodeName, same: owner ? this.#usage.ownerCount(nodeName, owner) : 0, pods: usage.pods };
      if (!best || candidate.same < best.same || (candidate.same === best.same && (candidate.pods < best.pods || (candidate.pods === best.pods && candidate.node < best.node)))) {
        best = candidate;
      }
    }
    if (!best) {
      await this.#unschedulableNow(key, pod, unschedulableMessage(reasons));
      return;
    }
    this.#unschedulable.delete(key);
    this.#assumed.add(key);
    this.#usage.place(key, best.node, requests, owner);
    await this.#bindSlot();
    void this.#bind(key, pod, best.node).finally(() => this.#releaseSlot());
  }

  /** {@link filterNode}, except that a node whose stored fields cannot be read is skipped (logged), not fatal to every pod. */
  #filter(pod: V1Pod, requests: PodRequests, node: V1Node, usage: ReturnType<NodeUsageIndex["usage"]>): string[] {
    try {
      return filterNode(pod, requests, node, usage);
    } catch (e) {
      this.#o.log.warn("node skipped: its stored fields cannot be read", { node: node.metadata?.name, error: messageOf(e) });
      return ["node(s) had an unreadable status"];
    }
  }

  async #bind(key: string, pod: V1Pod, node: string): Promise<void> {
    const ns = pod.metadata!.namespace!, name = pod.metadata!.name!;
    try {
      await this.#o.apis.core.createNamespacedPodBinding({
        name, namespace: ns,
        body: { apiVersion: "v1", kind: "Binding", metadata: { name, namespace: ns, uid: pod.metadata?.uid }, target: { apiVersion: "v1", kind: "Node", name: node } },
      });
      this.#o.record(pod, "Normal", "Scheduled", `Successfully assigned ${ns}/${name} to ${node}`);
      this.#o.log.debug("pod bound", { pod: key, node });
    } catch (e) {
      if (!this.#assumed.delete(key)) return;
      this.#usage.remove(key);
      const code = statusOf(e);
      // Gone, or bound by someone else meanwhile: the cache will say so.
      if (code === 404 || code === 409) return;
      this.#o.log.warn("cannot bind pod", { pod: key, node, error: messageOf(e) });
      this.#retryLater(key);
    }
  }

  async #unschedulableNow(key: string, pod: V1Pod, message: string): Promise<void> {
    this.#o.log.debug("pod unschedulable", { pod: key, message });
    this.#o.record(pod, "Warning", "FailedScheduling", message);
    this.#retryLater(key);
    const current = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
    if (current?.status === "False" && current.reason === "Unschedulable" && current.message === message) return;
    const condition: V1PodCondition = {
      type: "PodScheduled", status: "False", reason: "Unschedulable", message, lastProbeTime: null as unknown as Date, lastTransitionTime: apiTime() as unknown as Date,
    };
    const conditions = [...(pod.status?.conditions ?? []).filter((c) => c.type !== "PodScheduled"), condition];
    try {
      await this.#o.apis.core.patchNamespacedPodStatus({
        name: pod.metadata!.name!, namespace: pod.metadata!.namespace!, body: { metadata: { resourceVersion: pod.metadata?.resourceVersion }, status: { conditions } },
      }, MERGE_PATCH);
    } catch (e) {
      if (statusOf(e) !== 404 && statusOf(e) !== 409) this.#o.log.debug("cannot set PodScheduled", { pod: key, error: messageOf(e) });
    }
  }

  #retryLater(key: string): void {
    const attempts = (this.#unschedulable.get(key) ?? 0) + 1;
    this.#unschedulable.set(key, attempts);
    this.#queue.addAfter(key, Math.min(this.#o.initialBackoffMs * 2 ** (attempts - 1), this.#o.maxBackoffMs));
  }

  async #bindSlot(): Promise<void> {
    while (this.#binding >= this.#o.bindConcurrency) await new Promise<void>((r) => this.#slotWaiters.push(r));
    this.#binding++;
  }

  #releaseSlot(): void {
    this.#binding--;
    this.#slotWaiters.shift()?.();
  }
}
