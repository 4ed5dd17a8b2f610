/**
 * Which Services a node is told, and in what form: those of every namespace its pods are in, plus `default/kubernetes`
 * for every edge node, so edged can give containers the service-link variables the kubelet gives. Only what those
 * variables need crosses the link (name, cluster IP, ports), and at most {@link MAX_SERVICES_PER_NAMESPACE} per
 * namespace, so a namespace with thousands of Services cannot flood a node's link or store.
 *
 * @module
 */
import type { KubernetesObject, ListWatch, V1Service } from "@kubernetes/client-node";
import { ResourceType } from "../../model/index.ts";

/** The most Services of one namespace a node is sent (the first by name). */
export const MAX_SERVICES_PER_NAMESPACE = 500;

/** The Service every pod is told about, whatever its namespace. */
export const API_SERVICE = { namespace: "default", name: "kubernetes" } as const;

/** `<ns>/service/<name>`, the edge-form resource of a Service. */
export function serviceKey(namespace: string, name: string): string {
  return `${namespace}/${ResourceType.service}/${name}`;
}

/** True for `default/kubernetes`, which goes to every edge node. */
export function isApiService(svc: KubernetesObject): boolean {
  return svc.metadata?.namespace === API_SERVICE.namespace && svc.metadata?.name === API_SERVICE.name;
}

/** The part of a Service a node needs for service links; the rest (selectors, annotations, status) stays home. */
export function edgeService(svc: V1Service): KubernetesObject {
  const md = svc.metadata ?? {};
  const spec = svc.spec ?? {};
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: md.name, namespace: md.namespace, uid: md.uid, resourceVersion: md.resourceVersion },
    spec: {
      type: spec.type,
      clusterIP: spec.clusterIP,
      clusterIPs: spec.clusterIPs,
      ports: (spec.ports ?? []).map((p) => ({ name: p.name, protocol: p.protocol, port: p.port })),
    },
  } as KubernetesObject;
}

/** The Services of a namespace a node may hold, by name, capped at {@link MAX_SERVICES_PER_NAMESPACE}. */
export function namespaceServices(cache: ListWatch<V1Service>, namespace: string): V1Service[] {
  const all = [...cache.list(namespace)];
  all.sort((a, b) => ((a.metadata?.name ?? "") < (b.metadata?.name ?? "") ? -1 : 1));
  return all.slice(0, MAX_SERVICES_PER_NAMESPACE);
}

/** True when the Service is among those of its namespace a node may hold (not beyond the cap). */
export function withinCap(cache: ListWatch<V1Service>, svc: V1Service): boolean {
  const ns = svc.metadata?.namespace ?? "";
  const all = cache.list(ns);
  if (all.length <= MAX_SERVICES_PER_NAMESPACE) return true;
  const name = svc.metadata?.name ?? "";
  return namespaceServices(cache, ns).some((s) => s.metadata?.name === name);
}

/** The Services a node should hold: those of its pods' namespaces, and `default/kubernetes`. */
export function servicesOfNode(cache: ListWatch<V1Service>, namespaces: readonly string[]): V1Service[] {
  const out = new Map<string, V1Service>();
  for (const ns of namespaces) for (const s of namespaceServices(cache, ns)) out.set(serviceKey(ns, s.metadata?.name ?? ""), s);
  const api = cache.get(API_SERVICE.name, API_SERVICE.namespace);
  if (api) out.set(serviceKey(API_SERVICE.namespace, API_SERVICE.name), api);
  return [...out.values()];
}
