/**
 * Kubernetes -> edge: pods bound to an edge node, the ConfigMaps and Secrets they reference, their service-account
 * tokens (`pod_tokens.ts`) and the Services of their namespaces (`node_services.ts`) become messages to that node
 * only. A referenced object, token or Service goes before the pod that needs it; an object no longer referenced by
 * any pod of a node (a Service: of a namespace the node has no pod left in) is deleted there. On (re)connect a node
 * gets its full desired state, then a resync marker.
 *
 * @module
 */
import type { KubernetesObject, V1Pod, V1Service } from "@kubernetes/client-node";
import type { Logger } from "../../log/index.ts";
import {
  Group, newMessage, Op, RESYNC_OPERATION, RESYNC_RESOURCE, RESYNC_TYPES, SERVICE_ACCOUNT_TOKEN_TYPE, Source, toCloudResource, type Message,
} from "../../model/index.ts";
import type { CacheEvent, Caches } from "./caches.ts";
import { NodeIndex, podKey, refKey, type RefKey, type RefKind } from "./node_index.ts";
import type { PodTokenIssuer } from "./pod_tokens.ts";
import { edgeService, isApiService, namespaceServices, serviceKey, servicesOfNode, withinCap } from "./node_services.ts";

/** Where messages go: cloudhub, for the node named in the resource. */
export type SendToEdge = (msg: Message) => Promise<void>;

/** Builds the message that carries one object to a node. */
export function objectMessage(node: string, resource: string, operation: string, obj: KubernetesObject): Message {
  return newMessage({
    source: Source.edgeController,
    group: Group.resource,
    operation,
    resource: toCloudResource(node, resource),
    content: obj,
    resourceVersion: obj.metadata?.resourceVersion ?? "",
  });
}

/** The end of a resync: the node deletes every object of these types not listed (lib/model/resync.ts). */
function resyncMarker(node: string, keys: string[]): Message {
  return newMessage({
    source: Source.edgeController,
    group: Group.resource,
    operation: RESYNC_OPERATION,
    resource: toCloudResource(node, RESYNC_RESOURCE),
    content: { types: [...RESYNC_TYPES], keys },
  });
}

const OP: Record<CacheEvent, string> = { add: Op.insert, update: Op.update, delete: Op.delete };

/** Options of {@link Downstream}. */
export type DownstreamOptions = {
  caches: Caches;
  index: NodeIndex;
  send: SendToEdge;
  /** True while the node has a live link; messages for other nodes wait for the resync on connect. */
  connected: (node: string) => boolean;
  /** Tokens of pods with `serviceAccountToken` projections. */
  tokens: PodTokenIssuer;
  log: Logger;
};

/** Turns cache events into messages for nodes. */
export class Downstream {
  #o: DownstreamOptions;
  /** Pod key -> resourceVersion of the tokens last sent to its node, so an unchanged set is not sent again. */
  readonly #sentTokens = new Map<string, string>();
  constructor(options: DownstreamOptions) {
    this.#o = options;
  }

  /**
   * Sends a pod's tokens to its node unless that very set was sent already (`force`: always).
   *
   * @returns the edge-form key of the tokens, or undefined for a pod without tokens
   */
  async #sendTokens(node: string, pod: V1Pod, force: boolean): Promise<string | undefined> {
    const pk = podKey(pod);
    const resource = `${pod.metadata!.namespace}/${SERVICE_ACCOUNT_TOKEN_TYPE}/${pod.metadata!.name}`;
    const bundle = await this.#o.tokens.tokensFor(pod);
    if (!bundle) {
      if (this.#sentTokens.delete(pk)) await this.#o.send(objectMessage(node, resource, Op.delete, { metadata: { name: pod.metadata!.name, namespace: pod.metadata!.namespace } }));
      return undefined;
    }
    const rv = bundle.metadata.resourceVersion;
    if (force || this.#sentTokens.get(pk) !== rv) {
      await this.#o.send(objectMessage(node, resource, Op.update, bundle as unknown as KubernetesObject));
      this.#sentTokens.set(pk, rv);
    }
    return resource;
  }

  /** Sends a pod's renewed tokens to its node, when the node is linked (else its next resync does). */
  async renewTokens(key: string): Promise<void> {
    const [ns, name] = key.split("/");
    const pod = this.#o.caches.pods.get(name!, ns);
    const node = pod?.spec?.nodeName;
    if (!pod || !node || !this.#o.connected(node)) return;
    await this.#sendTokens(node, pod, false);
  }

  #lookup(ref: RefKey): KubernetesObject | undefined {
    const [ns, kind, name] = ref.split("/");
    const cache = (kind as RefKind) === "configmap" ? this.#o.caches.configMaps : this.#o.caches.secrets;
    return cache.get(name, ns);
  }

  async #sendRef(node: string, ref: RefKey, operation: string): Promise<void> {
    if (operation === Op.delete) {
      const [ns, kind, name] = ref.split("/");
      const gone = this.#lookup(ref) ?? { apiVersion: "v1", kind: kind === "configmap" ? "ConfigMap" : "Secret", metadata: { name, namespace: ns } };
      await this.#o.send(objectMessage(node, ref, Op.delete, gone));
      return;
    }
    const obj = this.#lookup(ref);
    if (obj) await this.#o.send(objectMessage(node, ref, operation, obj));
  }

  /** Handles a pod cache event. */
  async onPod(event: CacheEvent, pod: V1Pod): Promise<void> {
    const { index, connected } = this.#o;
    const before = index.nodeOfPod(podKey(pod));
    const ns = pod.metadata?.namespace ?? "default";
    if (event === "delete") {
      const dropped = index.removePod(pod);
      const node = before ?? pod.spec?.nodeName;
      this.#o.tokens.forget(podKey(pod));
      const hadTokens = this.#sentTokens.delete(podKey(pod));
      if (!node || !connected(node)) return;
      await this.#o.send(objectMessage(node, `${pod.metadata!.namespace}/pod/${pod.metadata!.name}`, Op.delete, pod));
      if (hadTokens) {
        const gone = { metadata: { name: pod.metadata!.name, namespace: pod.metadata!.namespace } };
        await this.#o.send(objectMessage(node, `${pod.metadata!.namespace}/${SERVICE_ACCOUNT_TOKEN_TYPE}/${pod.metadata!.name}`, Op.delete, gone));
      }
      for (const r of dropped) await this.#sendRef(node, r, Op.delete);
      // its last pod there gone, the node no longer may know the namespace's Services
      if (before && !index.inNamespace(node, ns)) await this.#sendServices(node, ns, Op.delete);
      return;
    }
    if (before && before !== pod.spec?.nodeName) await this.onPod("delete", { ...pod, spec: { ...pod.spec!, nodeName: before } });
    const newNamespace = !!pod.spec?.nodeName && !index.inNamespace(pod.spec.nodeName, ns);
    const { added, dropped } = index.setPod(pod);
    const node = pod.spec?.nodeName;
    if (!node || !connected(node)) return;
    // Services before the pod, so its first containers already get their service links
    if (newNamespace) await this.#sendServices(node, ns, Op.insert);
    for (const r of added) await this.#sendRef(node, r, Op.insert);
    // a terminating pod needs no fresh token
    if (!pod.metadata?.deletionTimestamp) await this.#sendTokens(node, pod, false);
    await this.#o.send(objectMessage(node, `${pod.metadata!.namespace}/pod/${pod.metadata!.name}`, before ? OP[event] : Op.insert, pod));
    for (const r of dropped) await this.#sendRef(node, r, Op.delete);
  }

  /** Handles a ConfigMap or Secret cache event: only nodes whose pods reference it hear of it. */
  async onRef(kind: RefKind, event: CacheEvent, obj: KubernetesObject): Promise<void> {
    const ref = refKey(obj.metadata?.namespace ?? "default", kind, obj.metadata?.name ?? "");
    for (const node of this.#o.index.nodesOf(ref)) {
      if (!this.#o.connected(node)) continue;
      await this.#o.send(objectMessage(node, ref, OP[event], obj));
    }
  }

  /** Sends a node the Services of one namespace (a delete spares `default/kubernetes`, which every node keeps). */
  async #sendServices(node: string, ns: string, operation: string): Promise<void> {
    for (const svc of namespaceServices(this.#o.caches.services, ns)) {
      if (operation === Op.delete && isApiService(svc)) continue;
      await this.#o.send(objectMessage(node, serviceKey(ns, svc.metadata?.name ?? ""), operation, edgeService(svc)));
    }
  }

  /** The nodes a Service change concerns: those with pods in its namespace; every edge node for `default/kubernetes`. */
  serviceTargets(svc: V1Service): string[] {
    if (isApiService(svc)) return this.#o.caches.nodes.list().map((n) => n.metadata?.name ?? "").filter(Boolean);
    return this.#o.index.nodesInNamespace(svc.metadata?.namespace ?? "");
  }

  /** Handles a Service cache event for one node, checked again here: the node's pods may have left the namespace. */
  async onService(node: string, event: CacheEvent, svc: V1Service): Promise<void> {
    const ns = svc.metadata?.namespace ?? "";
    if (!this.#o.connected(node) || (!isApiService(svc) && !this.#o.index.inNamespace(node, ns))) return;
    if (event !== "delete" && !withinCap(this.#o.caches.services, svc)) return;
    await this.#o.send(objectMessage(node, serviceKey(ns, svc.metadata?.name ?? ""), OP[event], edgeService(svc)));
  }

  /** Sends a node everything it should hold, then the resync marker so it deletes the rest. */
  async resync(node: string): Promise<number> {
    const { index, caches } = this.#o;
    const keys: string[] = [];
    for (const ref of index.refsOf(node)) {
      if (!this.#lookup(ref)) continue;
      await this.#sendRef(node, ref, Op.update);
      keys.push(ref);
    }
    for (const svc of servicesOfNode(caches.services, index.namespacesOf(node))) {
      const key = serviceKey(svc.metadata?.namespace ?? "", svc.metadata?.name ?? "");
      await this.#o.send(objectMessage(node, key, Op.update, edgeService(svc)));
      keys.push(key);
    }
    for (const pk of index.podsOf(node)) {
      const [ns, name] = pk.split("/");
      const pod = caches.pods.get(name, ns);
      if (!pod) continue;
      const tokens = await this.#sendTokens(node, pod, true);
      if (tokens) keys.push(tokens);
      const resource = `${ns}/pod/${name}`;
      await this.#o.send(objectMessage(node, resource, Op.update, pod));
      keys.push(resource);
    }
    await this.#o.send(resyncMarker(node, keys));
    this.#o.log.info("node resynced", { node, objects: keys.length });
    return keys.length;
  }
}
