/**
 * Connected nodes and the grace period of disconnected ones: a node whose link stays down longer than the grace
 * period gets Ready=Unknown. Its pods are left alone (edge autonomy).
 *
 * @module
 */
import type { V1NodeCondition } from "@kubernetes/client-node";
import { conditionsOf, findCondition } from "../../kube/index.ts";
import type { Logger } from "../../log/index.ts";
import type { Caches } from "./caches.ts";
import type { EdgeKubeApi } from "./kube_api.ts";

/** Tracks links and marks silent nodes. */
export class NodeHealth {
  #connected = new Set<string>();
  #timers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #graceMs: number;
  readonly #api: EdgeKubeApi;
  readonly #caches: Caches;
  readonly #log: Logger;

  constructor(options: { graceMs: number; api: EdgeKubeApi; caches: Caches; log: Logger }) {
    this.#graceMs = options.graceMs;
    this.#api = options.api;
    this.#caches = options.caches;
    this.#log = options.log;
  }

  /** True while the node has a live link. */
  isConnected(node: string): boolean {
    return this.#connected.has(node);
  }

  /** Nodes with a live link. */
  get connectedNodes(): string[] {
    return [...this.#connected];
  }

  /** The node's link came up. */
  connected(node: string): void {
    this.#connected.add(node);
    clearTimeout(this.#timers.get(node));
    this.#timers.delete(node);
  }

  /** The node's link went down: after the grace period, unless it is back, its Ready condition turns Unknown. */
  disconnected(node: string): void {
    this.#connected.delete(node);
    clearTimeout(this.#timers.get(node));
    const t = setTimeout(() => {
      this.#timers.delete(node);
      if (!this.#connected.has(node)) {
        this.markUnknown(node).catch((e) => this.#log.error("cannot mark node NotReady", { node, error: String(e) }));
      }
    }, this.#graceMs);
    t.unref();
    this.#timers.set(node, t);
  }

  /** Sets the node's Ready condition to Unknown (conditions are replaced whole by a merge patch, so keep the others). */
  async markUnknown(node: string): Promise<void> {
    const current = this.#caches.nodes.get(node) ?? (await this.#api.getNode(node));
    if (!current) return;
    const now = new Date().toISOString();
    const conditions = conditionsOf(current.status).filter((c) => c.type !== "Ready") as V1NodeCondition[];
    const ready = findCondition(current.status, "Ready");
    if (ready?.status === "Unknown") return;
    conditions.push({
      type: "Ready",
      status: "Unknown",
      reason: "EdgeLinkLost",
      message: `edge node has not been connected to cloudhub for ${Math.round(this.#graceMs / 1000)} s`,
      lastHeartbeatTime: ready?.lastHeartbeatTime as Date | undefined,
      lastTransitionTime: now as unknown as Date,
    });
    await this.#api.patchNodeStatus(node, { status: { conditions } });
    this.#log.warn("node marked NotReady: link lost", { node, graceSeconds: this.#graceMs / 1000 });
  }

  /** Cancels timers. */
  stop(): void {
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
  }
}
