/**
 * A Device bound to a node that does not exist would wait silently forever (a typo in the node name, a sample applied
 * unchanged). This records a Warning Event `NodeNotFound` on the Device, so `kubectl describe device` and
 * `kubectl get events` say so: once per Device and node name, not on every watch update or relist.
 *
 * @module
 */
import { ApiException, CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "../../log/index.ts";
import { nodeOf, objectKey } from "./device_view.ts";
import type { DeviceCR } from "./types.ts";

/** The reason of the Event. */
export const NODE_NOT_FOUND = "NodeNotFound";

/** What the check needs from Kubernetes. */
export type NodeCheckApi = {
  /** False when the API answers 404 for the Node. @throws on any other failure */
  nodeExists(name: string): Promise<boolean>;
  /** Writes a Warning Event about `device`. */
  warn(device: DeviceCR, reason: string, message: string): Promise<void>;
};

/** Remembered (Device, node) pairs before the memory is cleared; a clear costs at most one repeat Event per pair. */
const REMEMBERED_MAX = 10_000;

/** Checks each Device's node once and warns when it is missing. */
export class MissingNodeWarnings {
  readonly #api: NodeCheckApi;
  readonly #log: Logger;
  // Device uid (or namespace/name) + node: checked, or being checked
  readonly #seen = new Set<string>();

  constructor(api: NodeCheckApi, log: Logger) {
    this.#api = api;
    this.#log = log;
  }

  /** Checks the Device's node if this Device and node were not checked before; never throws. */
  check(d: DeviceCR): void {
    const node = nodeOf(d);
    if (!node) return;
    const key = `${d.metadata?.uid ?? objectKey(d)}@${node}`;
    if (this.#seen.has(key)) return;
    if (this.#seen.size >= REMEMBERED_MAX) this.#seen.clear();
    this.#seen.add(key);
    void this.#check(d, node).catch((err: unknown) => {
      this.#seen.delete(key); // checked again at the Device's next change
      this.#log.warn("cannot check the node of a device", { device: objectKey(d), node, error: err instanceof Error ? err.message : String(err) });
    });
  }

  /** Forgets a deleted Device, so one created again under its name is checked again. */
  forget(d: DeviceCR): void {
    const id = d.metadata?.uid ?? objectKey(d);
    for (const key of this.#seen) if (key.startsWith(`${id}@`)) this.#seen.delete(key);
  }

  async #check(d: DeviceCR, node: string): Promise<void> {
    if (await this.#api.nodeExists(node)) return;
    const message = `node "${node}" does not exist: the device is sent to that node once it joins (change spec.nodeSelector to an existing node)`;
    await this.#api.warn(d, NODE_NOT_FOUND, message);
    this.#log.warn("device bound to a node that does not exist", { device: objectKey(d), node });
  }
}

/** {@link NodeCheckApi} over client-node: reads the Node, creates a core/v1 Event from component "devicecontroller". */
export function kubeNodeCheckApi(kc: KubeConfig): NodeCheckApi {
  const core = kc.makeApiClient(CoreV1Api);
  return {
    async nodeExists(name) {
      try {
        await core.readNode({ name });
        return true;
      } catch (err) {
        if (err instanceof ApiException && err.code === 404) return false;
        throw err;
      }
    },
    async warn(device, reason, message) {
      const meta = device.metadata ?? {};
      const namespace = meta.namespace || "default";
      const now = new Date();
      await core.createNamespacedEvent({
        namespace,
        body: {
          metadata: { name: `${meta.name}.${(now.getTime() * 1000 + Math.floor(Math.random() * 1000)).toString(16)}`, namespace },
          involvedObject: {
            apiVersion: device.apiVersion, kind: device.kind, name: meta.name, namespace, uid: meta.uid, resourceVersion: meta.resourceVersion,
          },
          type: "Warning", reason, message, count: 1,
          source: { component: "devicecontroller" },
          reportingComponent: "devicecontroller",
          reportingInstance: "devicecontroller",
          firstTimestamp: now, lastTimestamp: now,
        },
      });
    },
  };
}
