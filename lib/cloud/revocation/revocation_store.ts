/**
 * The list in the Kubernetes API: one ConfigMap in cloud_core's namespace, so it survives restarts and every replica
 * (and `cloud_core node ...` on any host) shares it. Changes are read-modify-write on the ConfigMap's
 * resourceVersion, retried on a conflict (HTTP 409) so two replicas revoking at once both land.
 *
 * @module
 */
import { CoreV1Api, type KubeConfig, type V1ConfigMap } from "@kubernetes/client-node";
import { parseRevocations, serializeRevocations, withoutRevoked, withRevoked } from "./revocation_list.ts";
import { REVOKED_NODES_CONFIGMAP, type RevocationEntry, type Revocations } from "./types.ts";
import { statusOf } from "../api_status.ts";

/** How often a change is tried against concurrent writers before it fails. @default 10 */
const MAX_ATTEMPTS = 10;

/** A failed read or write of the list, naming the ConfigMap. */
export class RevocationStoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RevocationStoreError";
  }
}

/** Options of {@link RevocationStore}. */
export type RevocationStoreOptions = {
  /** cloud_core's namespace (`kubernetes.namespace`). */
  namespace: string;
  /** @default the current time */
  now?: () => number;
};

/** Reads and changes the list in the API. */
export class RevocationStore {
  readonly #core: CoreV1Api;
  readonly #ns: string;
  readonly #now: () => number;

  constructor(kc: KubeConfig, options: RevocationStoreOptions) {
    this.#core = kc.makeApiClient(CoreV1Api);
    this.#ns = options.namespace;
    this.#now = options.now ?? Date.now;
  }

  /** `<namespace>/<name>` of the ConfigMap, for messages. */
  get where(): string {
    return `${this.#ns}/${REVOKED_NODES_CONFIGMAP}`;
  }

  /** The current list (entries that cannot be read are left out). */
  async read(): Promise<Revocations> {
    const cm = await this.#get();
    return parseRevocations(cm?.data, this.#now()).entries;
  }

  /**
   * Revokes `node`: its certificates issued until now are refused.
   *
   * @returns the entry written and the nodes evicted to stay under the size cap
   * @throws RevocationStoreError when the API refuses or conflicts persist
   */
  async revoke(node: string, reason: string): Promise<{ entry: RevocationEntry; evicted: string[] }> {
    let evicted: string[] = [];
    const entries = await this.#modify((current, now) => {
      const next = withRevoked(current, node, { nowMs: now, reason });
      evicted = next.evicted;
      return next.entries;
    });
    return { entry: entries.get(node)!, evicted };
  }

  /**
   * Lifts `node`'s revocation.
   *
   * @returns false when it was not revoked
   * @throws RevocationStoreError when the API refuses or conflicts persist
   */
  async unrevoke(node: string): Promise<boolean> {
    let had = false;
    await this.#modify((current, now) => {
      had = current.has(node);
      return had ? withoutRevoked(current, node, now) : undefined;
    });
    return had;
  }

  /** Applies `change` to the stored list until a write lands; `change` returning undefined writes nothing. */
  async #modify(change: (current: Revocations, nowMs: number) => Revocations | undefined): Promise<Revocations> {
    for (let attempt = 1; ; attempt++) {
      const cm = await this.#get();
      const now = this.#now();
      const current = parseRevocations(cm?.data, now).entries;
      const next = change(current, now);
      if (!next) return current;
      // a replace keeps the ConfigMap's metadata (labels, kubectl's annotations) and its resourceVersion precondition
      const body: V1ConfigMap = cm
        ? { ...cm, data: serializeRevocations(next) }
        : {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: REVOKED_NODES_CONFIGMAP, namespace: this.#ns, labels: { "app.kubernetes.io/part-of": "kubeedge-ts" } },
          data: serializeRevocations(next),
        };
      try {
        if (cm) await this.#core.replaceNamespacedConfigMap({ name: REVOKED_NODES_CONFIGMAP, namespace: this.#ns, body });
        else await this.#core.createNamespacedConfigMap({ namespace: this.#ns, body });
        return next;
      } catch (e) {
        // 409: another writer got there first (create) or changed it since the read (replace): read again
        if (statusOf(e) !== 409 || attempt >= MAX_ATTEMPTS) throw this.#error(`Cannot write ${this.where}`, e);
      }
    }
  }

  async #get(): Promise<V1ConfigMap | undefined> {
    try {
      return await this.#core.readNamespacedConfigMap({ name: REVOKED_NODES_CONFIGMAP, namespace: this.#ns });
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw this.#error(`Cannot read ${this.where}`, e);
    }
  }

  #error(what: string, e: unknown): RevocationStoreError {
    const status = statusOf(e);
    const detail = status !== undefined ? `HTTP ${status}` : e instanceof Error ? e.message : String(e);
    return new RevocationStoreError(`${what}: ${detail}`, { cause: e });
  }
}

