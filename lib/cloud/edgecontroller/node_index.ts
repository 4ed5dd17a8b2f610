/**
 * The per-node view of the cluster that EdgeController keeps: which pods each edge node runs, which ConfigMaps
 * and Secrets those pods reference, and which namespaces they are in (a node is told the Services of exactly those),
 * with counts so an object shared by two nodes goes to both and one used by none goes to none. Every lookup is
 * O(objects of that node).
 *
 * @module
 */
import type { V1Pod } from "@kubernetes/client-node";
import { podReferences } from "./pod_refs.ts";

/** `configmap` or `secret`: the object kinds that follow pods to their nodes. */
export type RefKind = "configmap" | "secret";

/** `<ns>/<kind>/<name>`, the edge-form resource of a referenced object. */
export type RefKey = string;

type PodEntry = { node: string; refs: RefKey[] };

/** Tracks pods per node and referenced objects per node. */
export class NodeIndex {
  #pods = new Map<string, PodEntry>();
  #podsByNode = new Map<string, Set<string>>();
  #refCount = new Map<string, Map<RefKey, number>>();
  #nodesByRef = new Map<RefKey, Set<string>>();
  /** node -> namespace -> pods of the node in it */
  #nsCount = new Map<string, Map<string, number>>();
  #nodesByNs = new Map<string, Set<string>>();

  /**
   * Records a pod's node and references.
   * @returns the references that became new for its node (to send before the pod) and those its old node no longer
   *   needs (to delete there)
   */
  setPod(pod: V1Pod): { added: RefKey[]; dropped: RefKey[] } {
    const key = podKey(pod);
    const node = pod.spec?.nodeName ?? "";
    const refs = refKeys(pod);
    const old = this.#pods.get(key);
    if (old && old.node === node && sameList(old.refs, refs)) return { added: [], dropped: [] };
    const added: RefKey[] = [];
    if (node) {
      // count the new references before releasing the old ones, so a reference kept across the update never drops to 0
      const counts = this.#refCount.get(node) ?? new Map<RefKey, number>();
      this.#refCount.set(node, counts);
      for (const r of refs) {
        const n = counts.get(r) ?? 0;
        counts.set(r, n + 1);
        if (n === 0) {
          add(this.#nodesByRef, r, node);
          added.push(r);
        }
      }
    }
    const dropped = old ? this.#release(key, old) : [];
    if (node) {
      this.#pods.set(key, { node, refs });
      add(this.#podsByNode, node, key);
      this.#countNamespace(node, namespaceOf(key), 1);
    }
    return { added, dropped };
  }

  /** Forgets a pod. @returns the references its node no longer needs */
  removePod(pod: V1Pod): RefKey[] {
    const key = podKey(pod);
    const old = this.#pods.get(key);
    return old ? this.#release(key, old) : [];
  }

  #release(key: string, e: PodEntry): RefKey[] {
    this.#pods.delete(key);
    remove(this.#podsByNode, e.node, key);
    this.#countNamespace(e.node, namespaceOf(key), -1);
    // a node whose pods reference nothing has no counts (the map is dropped once empty)
    const counts = this.#refCount.get(e.node) ?? new Map<RefKey, number>();
    const dropped: RefKey[] = [];
    for (const r of e.refs) {
      const n = (counts.get(r) ?? 1) - 1;
      if (n > 0) counts.set(r, n);
      else {
        counts.delete(r);
        remove(this.#nodesByRef, r, e.node);
        dropped.push(r);
      }
    }
    if (!counts.size) this.#refCount.delete(e.node);
    return dropped;
  }

  #countNamespace(node: string, ns: string, delta: 1 | -1): void {
    const counts = this.#nsCount.get(node) ?? new Map<string, number>();
    const n = (counts.get(ns) ?? 0) + delta;
    if (n > 0) counts.set(ns, n);
    else counts.delete(ns);
    if (counts.size) this.#nsCount.set(node, counts);
    else this.#nsCount.delete(node);
    if (n === 1 && delta === 1) add(this.#nodesByNs, ns, node);
    if (n === 0) remove(this.#nodesByNs, ns, node);
  }

  /** The node a pod (`ns/name`) is bound to, if tracked. */
  nodeOfPod(podKeyText: string): string | undefined {
    return this.#pods.get(podKeyText)?.node;
  }

  /** Pods (`ns/name`) bound to a node. */
  podsOf(node: string): string[] {
    return [...(this.#podsByNode.get(node) ?? [])];
  }

  /** Referenced objects (`ns/kind/name`) a node needs. */
  refsOf(node: string): RefKey[] {
    return [...(this.#refCount.get(node)?.keys() ?? [])];
  }

  /** Nodes that need a referenced object. */
  nodesOf(ref: RefKey): string[] {
    return [...(this.#nodesByRef.get(ref) ?? [])];
  }

  /** Namespaces the node runs pods in: whose Services it is told. */
  namespacesOf(node: string): string[] {
    return [...(this.#nsCount.get(node)?.keys() ?? [])];
  }

  /** True when the node runs a pod in the namespace. */
  inNamespace(node: string, ns: string): boolean {
    return (this.#nsCount.get(node)?.get(ns) ?? 0) > 0;
  }

  /** Nodes that run pods in a namespace. */
  nodesInNamespace(ns: string): string[] {
    return [...(this.#nodesByNs.get(ns) ?? [])];
  }

  /** True when the node runs a pod that references this object: node authorization for queries. */
  entitled(node: string, ref: RefKey): boolean {
    return (this.#refCount.get(node)?.get(ref) ?? 0) > 0;
  }
}

/** `ns/name` of a pod. */
export function podKey(pod: V1Pod): string {
  return `${pod.metadata?.namespace ?? "default"}/${pod.metadata?.name ?? ""}`;
}

function namespaceOf(podKeyText: string): string {
  return podKeyText.slice(0, podKeyText.indexOf("/"));
}

/** The edge-form resource of a referenced object. */
export function refKey(namespace: string, kind: RefKind, name: string): RefKey {
  return `${namespace}/${kind}/${name}`;
}

function refKeys(pod: V1Pod): RefKey[] {
  const ns = pod.metadata?.namespace ?? "default";
  const { configMaps, secrets } = podReferences(pod);
  return [...[...configMaps].map((n) => refKey(ns, "configmap", n)), ...[...secrets].map((n) => refKey(ns, "secret", n))].sort();
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function add(m: Map<string, Set<string>>, k: string, v: string): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}

function remove(m: Map<string, Set<string>>, k: string, v: string): void {
  const s = m.get(k);
  if (!s) return;
  s.delete(v);
  if (!s.size) m.delete(k);
}
