/**
 * The Kubernetes calls EdgeController makes, through @kubernetes/client-node only, so the same code runs against
 * the embedded API and any real cluster. Kept behind a small type so the handlers read as what they do.
 *
 * @module
 */
import {
  ApiException,
  CoordinationV1Api,
  CoreV1Api,
  type CoreV1Event,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1Node,
} from "@kubernetes/client-node";
import { statusOf } from "../api_status.ts";
export { statusOf };

/** What EdgeController does to Kubernetes objects. Patches are JSON merge patches. */
export type EdgeKubeApi = {
  getNode(name: string): Promise<V1Node | undefined>;
  createNode(node: V1Node): Promise<void>;
  patchNode(name: string, patch: object): Promise<void>;
  patchNodeStatus(name: string, patch: object): Promise<void>;
  /** Creates or renews the node's Lease in kube-node-lease. */
  renewLease(node: string, durationSeconds: number): Promise<void>;
  patchPodStatus(namespace: string, name: string, patch: object): Promise<void>;
  patchPod(namespace: string, name: string, patch: object): Promise<void>;
  /** Deletes a pod at once, only if its UID still matches (the edge confirmed it is gone). */
  deletePod(namespace: string, name: string, uid: string): Promise<void>;
  createEvent(namespace: string, event: CoreV1Event): Promise<void>;
  /** The Event of that name, or undefined when there is none. */
  getEvent(namespace: string, name: string): Promise<CoreV1Event | undefined>;
  patchEvent(namespace: string, name: string, patch: object): Promise<void>;
  /** TokenRequest for a ServiceAccount, bound to a pod. */
  createToken(namespace: string, serviceAccount: string, request: TokenRequestSpec): Promise<{ token: string; expirationTimestamp: Date }>;
};

/** What a token is asked for. */
export type TokenRequestSpec = { audiences?: string[]; expirationSeconds: number; pod: { name: string; uid: string } };

/** The message of a failed client-node call: the API's Status message when there is one. */
export function messageOf(e: unknown): string {
  if (e instanceof ApiException) {
    try {
      const status = typeof e.body === "string" ? JSON.parse(e.body) : e.body;
      if (status && typeof status.message === "string") return status.message;
    } catch {
      // not a Status body: fall back to the exception's text
    }
    return `HTTP ${e.code}`;
  }
  return e instanceof Error ? e.message : String(e);
}


const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
const LEASE_NS = "kube-node-lease";

/** A MicroTime as the API server parses it (RFC 3339 with exactly six fractional digits). */
export function microTime(d = new Date()): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** Builds the client-node implementation for a kubeconfig. */
export function createEdgeKubeApi(kc: KubeConfig): EdgeKubeApi {
  const core = kc.makeApiClient(CoreV1Api);
  const coord = kc.makeApiClient(CoordinationV1Api);
  return {
    async getNode(name) {
      try {
        return await core.readNode({ name });
      } catch (e) {
        if (statusOf(e) === 404) return undefined;
        throw e;
      }
    },
    async createNode(node) {
      await core.createNode({ body: node });
    },
    async patchNode(name, body) {
      await core.patchNode({ name, body }, merge);
    },
    async patchNodeStatus(name, body) {
      await core.patchNodeStatus({ name, body }, merge);
    },
    async renewLease(node, durationSeconds) {
      const body = { spec: { holderIdentity: node, leaseDurationSeconds: durationSeconds, renewTime: microTime() } };
      try {
        await coord.patchNamespacedLease({ name: node, namespace: LEASE_NS, body }, merge);
      } catch (e) {
        if (statusOf(e) !== 404) throw e;
        await coord.createNamespacedLease({
          namespace: LEASE_NS,
          body: { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: node, namespace: LEASE_NS }, spec: { holderIdentity: node, leaseDurationSeconds: durationSeconds } },
        });
        await coord.patchNamespacedLease({ name: node, namespace: LEASE_NS, body }, merge);
      }
    },
    async patchPodStatus(namespace, name, body) {
      await core.patchNamespacedPodStatus({ name, namespace, body }, merge);
    },
    async patchPod(namespace, name, body) {
      await core.patchNamespacedPod({ name, namespace, body }, merge);
    },
    async deletePod(namespace, name, uid) {
      try {
        await core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0, body: { gracePeriodSeconds: 0, preconditions: { uid } } });
      } catch (e) {
        if (statusOf(e) !== 404) throw e;
      }
    },
    async createEvent(namespace, event) {
      await core.createNamespacedEvent({ namespace, body: event });
    },
    async getEvent(namespace, name) {
      try {
        return await core.readNamespacedEvent({ name, namespace });
      } catch (e) {
        if (statusOf(e) === 404) return undefined;
        throw e;
      }
    },
    async patchEvent(namespace, name, body) {
      await core.patchNamespacedEvent({ name, namespace, body }, merge);
    },
    async createToken(namespace, serviceAccount, request) {
      const spec: Record<string, unknown> = {
        expirationSeconds: request.expirationSeconds,
        boundObjectRef: { kind: "Pod", apiVersion: "v1", name: request.pod.name, uid: request.pod.uid },
      };
      if (request.audiences) spec.audiences = request.audiences;
      const tr = await core.createNamespacedServiceAccountToken({
        name: serviceAccount, namespace, body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec } as never,
      });
      const token = tr.status?.token, expires = tr.status?.expirationTimestamp;
      if (!token || !expires) throw new Error(`TokenRequest for "${namespace}/${serviceAccount}" returned no token`);
      return { token, expirationTimestamp: new Date(expires) };
    },
  };
}
