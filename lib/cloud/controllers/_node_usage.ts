/**
 * What is placed on each node, as the scheduler counts it: pods (bound ones from the cache plus the ones it has
 * just bound and not yet seen back, "assumed"), their cpu and memory requests, and how many pods of each owner, for
 * spreading replicas.
 *
 * @module
 */
import type { PodRequests } from "./_pod_status.ts";

/** The load of one node. */
export type NodeUsage = { pods: number; cpuMilli: number; memoryBytes: number };

type Placement = { node: string; requests: PodRequests; owner?: string };

/** Pod placements by pod key, with per-node sums kept up to date. */
export class NodeUsageIndex {
  readonly #placements = new Map<string, Placement>();
  readonly #nodes = new Map<string, NodeUsage & { owners: Map<string, number> }>();

  /** Places a pod on a node (moving it if it was elsewhere); placing it again on the same node changes nothing. */
  place(podKey: string, node: string, requests: PodRequests, owner?: string): void {
    const had = this.#placements.get(podKey);
    if (had?.node === node) return;
    if (had) this.remove(podKey);
    this.#placements.set(podKey, { node, requests, owner });
    let u = this.#nodes.get(node);
    if (!u) this.#nodes.set(node, (u = { pods: 0, cpuMilli: 0, memoryBytes: 0, owners: new Map() }));
    u.pods++;
    u.cpuMilli += requests.cpuMilli;
    u.memoryBytes += requests.memoryBytes;
    if (owner) u.owners.set(owner, (u.owners.get(owner) ?? 0) + 1);
  }

  /** Removes a pod; no-op when it is not placed. */
  remove(podKey: string): void {
    const p = this.#placements.get(podKey);
    if (!p) return;
    this.#placements.delete(podKey);
    const u = this.#nodes.get(p.node)!;
    u.pods--;
    u.cpuMilli -= p.requests.cpuMilli;
    u.memoryBytes -= p.requests.memoryBytes;
    if (p.owner) {
      const n = (u.owners.get(p.owner) ?? 1) - 1;
      if (n > 0) u.owners.set(p.owner, n);
      else u.owners.delete(p.owner);
    }
    if (u.pods === 0) this.#nodes.delete(p.node);
  }

  /** The node a pod is placed on. */
  nodeOf(podKey: string): string | undefined {
    return this.#placements.get(podKey)?.node;
  }

  usage(node: string): NodeUsage {
    const u = this.#nodes.get(node);
    return u ? { pods: u.pods, cpuMilli: u.cpuMilli, memoryBytes: u.memoryBytes } : { pods: 0, cpuMilli: 0, memoryBytes: 0 };
  }

  /** Pods of one owner (controller uid) on a node. */
  ownerCount(node: string, owner: string): number {
    return this.#nodes.get(node)?.owners.get(owner) ?? 0;
  }
}
