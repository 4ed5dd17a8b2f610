/**
 * Node lifecycle: a node whose heartbeat stops (neither its Ready condition's lastHeartbeatTime nor its Lease in
 * kube-node-lease renewed within the grace period) gets Ready=Unknown ("Kubelet stopped posting node status.");
 * Ready, not-ready and unreachable nodes get the matching `node.kubernetes.io/*` taints (see `_node_taints.ts`).
 * Unlike a default cluster, pods are never evicted from an unreachable node: edge nodes keep running them offline.
 * Heartbeats are timed by this controller's clock when it sees them change, so clock skew between edge and cloud
 * does not matter.
 *
 * @module
 */
import type { V1Node, V1NodeCondition } from "@kubernetes/client-node";
import { containedInterval } from "../../core/index.ts";
import { conditionsOf, findCondition } from "../../kube/index.ts";
import type { Logger } from "../../log/index.ts";
import { withDefaults } from "./_defaults.ts";
import { conflictRetryMs, type KubeApis, MERGE_PATCH, statusOf } from "./_kube_apis.ts";
import { readyStatus, wantedTaints } from "./_node_taints.ts";
import { apiTime } from "./_time.ts";
import type { EventRecorder } from "./event_recorder.ts";
import { type Informers, NODE_LEASE_NAMESPACE } from "./informers.ts";
import { WorkQueue } from "./work_queue.ts";

/** Options of {@link NodeLifecycleController}. */
export type NodeLifecycleControllerOptions = {
  informers: Informers;
  apis: KubeApis;
  record: EventRecorder;
  log: Logger;
  /** A node not heard from for this long turns Ready=Unknown. @default 40000 */
  gracePeriodMs?: number;
  /** How often heartbeats are checked. @default 5000 */
  monitorPeriodMs?: number;
};

/** The conditions a kubelet reports, all turned Unknown when it goes silent. */
const KUBELET_CONDITIONS = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

/** Watches node heartbeats and keeps Ready and the taints right. */
export class NodeLifecycleController {
  readonly #o: NodeLifecycleControllerOptions & { gracePeriodMs: number; monitorPeriodMs: number };
  readonly #queue: WorkQueue;
  /** Per node: the last heartbeat seen and when (by this clock) it was seen to change. */
  readonly #heard = new Map<string, { beat: string; atMs: number }>();
  readonly #unsubscribe: (() => void)[] = [];
  #timer?: ReturnType<typeof setInterval>;

  constructor(options: NodeLifecycleControllerOptions) {
    this.#o = withDefaults({ gracePeriodMs: 40_000, monitorPeriodMs: 5000 }, options);
    this.#queue = new WorkQueue((name) => this.#reconcile(name), { concurrency: 4, expectedRetryMs: conflictRetryMs, log: options.log });
  }

  /** Subscribes to nodes and leases and starts the heartbeat monitor. */
  start(): void {
    const { nodes, leases } = this.#o.informers;
    const onNode = (node: V1Node) => {
      this.#observe(node.metadata!.name!);
      this.#queue.add(node.metadata!.name!);
    };
    this.#unsubscribe.push(
      nodes.subscribe({ add: onNode, update: onNode, delete: (node) => this.#heard.delete(node.metadata!.name!) }),
      leases.subscribe({ add: (l) => this.#observe(l.metadata!.name!), update: (l) => this.#observe(l.metadata!.name!) }),
    );
    for (const node of nodes.list()) onNode(node);
    this.#timer = containedInterval(() => this.#monitor(), this.#o.monitorPeriodMs, { log: this.#o.log, what: "node lifecycle monitor" });
  }

  /** Unsubscribes and drops queued work. */
  stop(): void {
    clearInterval(this.#timer);
    for (const u of this.#unsubscribe.splice(0)) u();
    this.#queue.stop();
  }

  #observe(name: string): void {
    const node = this.#o.informers.nodes.get(name);
    if (!node) return;
    const ready = findCondition(node.status, "Ready");
    const lease = this.#o.informers.leases.get(name, NODE_LEASE_NAMESPACE);
    const beat = `${String(ready?.lastHeartbeatTime ?? "")}|${String(lease?.spec?.renewTime ?? "")}`;
    const had = this.#heard.get(name);
    if (had?.beat !== beat) this.#heard.set(name, { beat, atMs: Date.now() });
  }

  #monitor(): void {
    const now = Date.now();
    for (const node of this.#o.informers.nodes.list()) {
      const name = node.metadata!.name!;
      const heard = this.#heard.get(name);
      if (!heard) this.#observe(name);
      else if (now - heard.atMs > this.#o.gracePeriodMs && readyStatus(node) !== "Unknown") this.#queue.add(name);
    }
  }

  async #reconcile(name: string): Promise<void> {
    const node = this.#o.informers.nodes.get(name);
    if (!node) return;
    const heard = this.#heard.get(name);
    if (heard && Date.now() - heard.atMs > this.#o.gracePeriodMs && readyStatus(node) !== "Unknown") {
      await this.#markUnknown(node);
      return;
    }
    const taints = wantedTaints(node, apiTime());
    if (!taints) return;
    try {
      await this.#o.apis.core.patchNode({ name, body: { metadata: { resourceVersion: node.metadata?.resourceVersion }, spec: { taints } } }, MERGE_PATCH);
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
    }
  }

  /** Turns the kubelet's conditions Unknown (the taints follow on the resulting node update). */
  async #markUnknown(node: V1Node): Promise<void> {
    const name = node.metadata!.name!;
    const now = apiTime();
    const current = conditionsOf(node.status) as V1NodeCondition[];
    const never = !current.some((c) => c.type === "Ready");
    const reason = never ? "NodeStatusNeverUpdated" : "NodeStatusUnknown";
    const message = never ? "Kubelet never posted node status." : "Kubelet stopped posting node status.";
    const conditions: V1NodeCondition[] = current.map((c) =>
      KUBELET_CONDITIONS.includes(c.type) && c.status !== "Unknown"
        ? { ...c, status: "Unknown", reason, message, lastTransitionTime: now as unknown as Date }
        : c);
    if (never) {
      conditions.push({ type: "Ready", status: "Unknown", reason, message, lastHeartbeatTime: node.metadata?.creationTimestamp, lastTransitionTime: now as unknown as Date });
    }
    try {
      await this.#o.apis.core.patchNodeStatus({ name, body: { metadata: { resourceVersion: node.metadata?.resourceVersion }, status: { conditions } } }, MERGE_PATCH);
    } catch (e) {
      if (statusOf(e) === 404) return;
      throw e;
    }
    this.#o.log.warn("node stopped posting status: Ready=Unknown", { node: name, graceSeconds: this.#o.gracePeriodMs / 1000 });
    this.#o.record(node, "Normal", "NodeNotReady", `Node ${name} status is now: NodeNotReady`);
  }
}
