/**
 * What every namespace holds on a real cluster, kept in place as its controllers keep it: the `default`
 * ServiceAccount (service account controller) and the `kube-root-ca.crt` ConfigMap with the API's CA (root CA
 * publisher). Both are made for existing namespaces at start and for new ones at once, and made again when deleted
 * or (for the ConfigMap) edited, unless their namespace is terminating. This runs inside the embedded API rather than
 * as a client-side controller so that a pod created right after its namespace never meets a missing `default`
 * ServiceAccount in admission.
 *
 * @module
 */
import type { KubeObject } from "../../kube/index.ts";
import type { Logger } from "../../log/index.ts";
import type { ObjectService } from "./object_service.ts";
import { StatusError } from "./status_error.ts";
import type { ChangeEvent } from "./types.ts";
import type { Subscription, WatchHub } from "./watch_hub.ts";

/** Name of the ConfigMap holding the API's CA in every namespace. */
export const ROOT_CA_CONFIGMAP = "kube-root-ca.crt";
/** Name of the ServiceAccount every namespace has. */
export const DEFAULT_SERVICE_ACCOUNT = "default";

// The annotation the real root CA publisher puts on the ConfigMap (same text, so `-o yaml` matches).
const ROOT_CA_DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the "
  + "internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

/** Keeps the `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap in every namespace. */
export class NamespaceDefaults {
  readonly #service: ObjectService;
  readonly #caPem: string;
  readonly #log: Logger;
  #subscription?: Subscription;
  #closed = false;

  /** @param caPem the CA (PEM) clients of the API trust: the content of `ca.crt` */
  constructor(service: ObjectService, caPem: string, log: Logger) {
    this.#service = service;
    this.#caPem = caPem;
    this.#log = log;
  }

  /** Fills every existing namespace, then follows changes through the watch hub. */
  async start(hub: WatchHub): Promise<void> {
    for (const { object } of this.#service.storage.list("namespaces")) await this.ensure(object.metadata?.name ?? "");
    const sub = hub.subscribe(hub.latestResourceVersion, {
      accepts: (e) => this.#wants(e),
      send: (e) => {
        // publish() runs inside the write that caused it: repair after it has finished
        setImmediate(() => void this.ensure(e.type === "ADDED" && e.gr === "namespaces" ? e.object.metadata?.name ?? "" : e.namespace));
        return true;
      },
    });
    if (sub !== "expired") this.#subscription = sub;
  }

  /** Stops following changes. */
  close(): void {
    this.#closed = true;
    this.#subscription?.stop();
  }

  #wants(e: ChangeEvent): boolean {
    const name = e.object.metadata?.name;
    if (e.gr === "namespaces") return e.type === "ADDED";
    if (e.gr === "serviceaccounts") return e.type === "DELETED" && name === DEFAULT_SERVICE_ACCOUNT;
    if (e.gr === "configmaps") return e.type !== "ADDED" && name === ROOT_CA_CONFIGMAP;
    return false;
  }

  /** Creates what is missing in `namespace` and restores an edited CA ConfigMap; failures are logged, never thrown. */
  async ensure(namespace: string): Promise<void> {
    const { storage, registry } = this.#service;
    const ns = storage.get("namespaces", "", namespace);
    if (this.#closed || !ns || ns.object.metadata?.deletionTimestamp) return;
    if (!storage.get("serviceaccounts", namespace, DEFAULT_SERVICE_ACCOUNT)) {
      await this.#write("service account", namespace, () => this.#service.create(registry.lookup("", "v1", "serviceaccounts")!, namespace, {
        apiVersion: "v1", kind: "ServiceAccount", metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace },
      }));
    }
    const cmInfo = registry.lookup("", "v1", "configmaps")!;
    const cm = storage.get("configmaps", namespace, ROOT_CA_CONFIGMAP);
    if (!cm) {
      await this.#write("root CA config map", namespace, () => this.#service.create(cmInfo, namespace, this.#rootCa(namespace)));
    } else if ((cm.object.data as Record<string, unknown> | undefined)?.["ca.crt"] !== this.#caPem) {
      const next = structuredClone(cm.object);
      next.data = { "ca.crt": this.#caPem };
      await this.#write("root CA config map", namespace, () => this.#service.commitUpdate(cmInfo, cm, next, { subresource: "internal" }));
    }
  }

  #rootCa(namespace: string): KubeObject {
    return {
      apiVersion: "v1", kind: "ConfigMap",
      metadata: { name: ROOT_CA_CONFIGMAP, namespace, annotations: { "kubernetes.io/description": ROOT_CA_DESCRIPTION } },
      data: { "ca.crt": this.#caPem },
    };
  }

  async #write(what: string, namespace: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      // 409: someone made it meanwhile; 403/404: the namespace is going away
      if (err instanceof StatusError && [403, 404, 409].includes(err.code)) return;
      this.#log.warn(`cannot create the ${what}`, { namespace, err });
    }
  }
}
