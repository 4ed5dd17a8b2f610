/**
 * Starting and stopping the embedded Kubernetes API: storage, bootstrap objects (the four system namespaces, the
 * CRDs of `conf/crds`, each namespace's `default` ServiceAccount and `kube-root-ca.crt`), the service-account token
 * key, resumption of deletions in progress, HTTPS listening, and the admin kubeconfig.
 *
 * @module
 */
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { deepEqual, type KubeObject } from "../../kube/index.ts";
import { createLogger, type Logger } from "../../log/index.ts";
import type { Store } from "../../store/index.ts";
import { crdResource, parseCrdManifests } from "./crds.ts";
import { DEVICE_CRD_MANIFESTS } from "./device_crds.ts";
import { Deleter } from "./deleter.ts";
import type { ApiContext, HandlerLimits } from "./handlers/index.ts";
import { ensureKubernetesService } from "./kubernetes_service.ts";
import { KUBECONFIG_FILE, loadOrCreateToken, newToken, writeKubeconfig } from "./kubeconfig.ts";
import { NamespaceDefaults } from "./namespace_defaults.ts";
import { ObjectService } from "./object_service.ts";
import { Registry } from "./registry.ts";
import { ServiceAccountTokens } from "./sa_tokens.ts";
import { createApiHttpsServer, type TlsPem } from "./server.ts";
import { StatusError } from "./status_error.ts";
import { ObjectStorage } from "./storage.ts";
import { metricsResources } from "./metrics_api.ts";
import type { PodStreams, ResourceUsageSource } from "./types.ts";
import { WatchHub } from "./watch_hub.ts";

/** Options of {@link startApiServer}. */
export type ApiServerOptions = {
  /** Where objects live; the caller opens and closes it. */
  store: Store;
  /** Listen address. @default { host: "127.0.0.1", port: 6443 } (port 0 picks a free one) */
  address?: { host: string; port: number };
  /** Serving certificate and key (PEM); `ca` (PEM) goes into the kubeconfig, the certificate itself when absent. */
  tls: TlsPem;
  /** The admin bearer token. @default the one in `<dataDir>/apiserver.token`, created on first start; random without dataDir */
  token?: string;
  /**
   * Folder for the token, the service-account signing key (`sa.key`) and the admin kubeconfig (`kubeconfig`);
   * nothing is written without it.
   */
  dataDir?: string;
  log?: Logger;
  /** Serves pods/log and pods/exec; can also be set later with {@link ApiServer.setPodStreams}. */
  podStreams?: PodStreams;
  /** CRDs installed (created or updated) at start. @default the manifests of `conf/crds/` */
  crds?: KubeObject[];
  /** How long after its grace period a pod whose node never confirmed the deletion is removed. @default 30000 (ms) */
  podDeletionTimeoutMs?: number;
  /** Change events kept for resuming watches. @default 10000 (events) */
  watchHistorySize?: number;
  /** Bytes a watch may have waiting before it is closed. @default 8 MiB */
  maxWatchBufferBytes?: number;
  /** How long a watch without timeoutSeconds stays open. @default 1800000 (ms, 30 min) */
  watchTimeoutMs?: number;
  /** Interval of BOOKMARK events on watches that allow them. @default 60000 (ms) */
  bookmarkIntervalMs?: number;
  /** Namespaces created at start beside the system ones, such as cloud_core's own (join tokens, revocations). */
  ownNamespaces?: string[];
  /** Largest request body. @default 3 MiB */
  maxBodyBytes?: number;
};

/** A running embedded API. */
export type ApiServer = {
  /** `https://<host>:<port>` as clients reach it (127.0.0.1 when listening on all addresses). */
  url: string;
  port: number;
  /** The admin bearer token. */
  token: string;
  /** The CA (PEM) clients must trust. */
  caPem: string;
  /** `<dataDir>/kubeconfig`, when dataDir was given. */
  kubeconfigPath?: string;
  /** Connects (or replaces) the backend of pods/log and pods/exec. */
  setPodStreams(streams: PodStreams | undefined): void;
  /** Connects the usage reports behind `metrics.k8s.io` (`kubectl top`); the group is discovered from then on. */
  setResourceUsage(source: ResourceUsageSource): void;
  /** Stops listening, ends open watches and connections, waits for pending writes. The store stays open. */
  close(): Promise<void>;
};

const DEFAULT_LIMITS: HandlerLimits = {
  maxBodyBytes: 3 * 1024 * 1024,
  maxWatchBufferBytes: 8 * 1024 * 1024,
  watchTimeoutMs: 30 * 60_000,
  bookmarkIntervalMs: 60_000,
};

/** The namespaces a cluster has from the start. */
export const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"] as const;

async function ensureNamespaces(service: ObjectService, own: string[]): Promise<void> {
  const info = service.registry.lookup("", "v1", "namespaces")!;
  for (const name of new Set([...SYSTEM_NAMESPACES, ...own])) {
    if (service.storage.get("namespaces", "", name)) continue;
    await service.create(info, "", { apiVersion: "v1", kind: "Namespace", metadata: { name } });
  }
}

/** The Device and DeviceModel CRDs, from the code: a single binary has no conf/ folder beside it. */
function defaultCrds(): KubeObject[] {
  return Object.entries(DEVICE_CRD_MANIFESTS).flatMap(([file, text]) => parseCrdManifests(text, file));
}

async function installCrds(service: ObjectService, crds: KubeObject[], log: Logger): Promise<void> {
  const info = service.registry.lookup("apiextensions.k8s.io", "v1", "customresourcedefinitions")!;
  for (const crd of crds) {
    const name = crd.metadata?.name ?? "";
    const current = service.storage.get("customresourcedefinitions.apiextensions.k8s.io", "", name);
    if (!current) {
      await service.create(info, "", structuredClone(crd));
      log.info("CRD installed", { crd: name });
    } else if (!deepEqual(current.object.spec, crd.spec)) {
      const next = structuredClone(current.object);
      next.spec = structuredClone(crd.spec!);
      await service.commitUpdate(info, current, next, { subresource: "internal" });
      log.info("CRD updated", { crd: name });
    }
  }
}

/**
 * Starts the embedded Kubernetes API over HTTPS.
 *
 * @returns the running server
 * @throws Error naming the step that failed (store, bootstrap, listen, kubeconfig)
 * @example Start on a free port and use it with kubectl
 * ```ts
 * const store = await openStore(join(dataDir, "cloud.db"));
 * const api = await startApiServer({ store, tls: { cert, key, ca }, dataDir, address: { host: "127.0.0.1", port: 0 } });
 * // KUBECONFIG=<dataDir>/kubeconfig kubectl get namespaces
 * await api.close();
 * await store.close();
 * ```
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const log = options.log ?? createLogger("apiserver");
  const address = options.address ?? { host: "127.0.0.1", port: 6443 };
  const limits: HandlerLimits = {
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_LIMITS.maxBodyBytes,
    maxWatchBufferBytes: options.maxWatchBufferBytes ?? DEFAULT_LIMITS.maxWatchBufferBytes,
    watchTimeoutMs: options.watchTimeoutMs ?? DEFAULT_LIMITS.watchTimeoutMs,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? DEFAULT_LIMITS.bookmarkIntervalMs,
  };
  const step = async <T>(name: string, fn: () => Promise<T> | T): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      const detail = err instanceof StatusError ? `${err.reason}: ${err.message}` : (err as Error).message;
      throw new Error(`Cannot start the API server: ${name}: ${detail}`, { cause: err });
    }
  };

  const token = options.token ?? (options.dataDir ? await step("token", () => loadOrCreateToken(options.dataDir!)) : newToken());
  const storage = await step("load objects", () => ObjectStorage.open(options.store, log));
  const hub = new WatchHub(storage.resourceVersion, { historySize: options.watchHistorySize });
  storage.attach(hub);
  const registry = new Registry();
  for (const { object } of storage.list("customresourcedefinitions.apiextensions.k8s.io")) {
    const served = crdResource(object);
    if (served) registry.put(served);
  }
  const service = new ObjectService(registry, storage, log);
  const deleter = new Deleter(service, log, { podDeletionTimeoutMs: options.podDeletionTimeoutMs });
  const tokens = await step("service account key", () => new ServiceAccountTokens(options.dataDir));
  const caPem = options.tls.ca ?? options.tls.cert;
  const namespaceDefaults = new NamespaceDefaults(service, caPem, log);
  await step("create system namespaces", () => ensureNamespaces(service, options.ownNamespaces ?? []));
  await step("create default service accounts and root CA config maps", () => namespaceDefaults.start(hub));
  await step("install CRDs", () => installCrds(service, options.crds ?? defaultCrds(), log));
  deleter.resume();

  let podStreams = options.podStreams;
  let resourceUsage: ResourceUsageSource | undefined;
  const ctx: ApiContext = {
    registry, storage, service, deleter, hub, log, limits, tokens, podStreams: () => podStreams, resourceUsage: () => resourceUsage,
  };
  let ready = false;
  const server = createApiHttpsServer(ctx, { tls: options.tls, token, ready: () => ready });
  await step("listen", () => new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(address.port, address.host, () => {
      server.off("error", reject);
      resolve();
    });
  }));
  const port = (server.address() as AddressInfo).port;
  await step("create service default/kubernetes", () => ensureKubernetesService(service, port, log));
  const host = address.host === "0.0.0.0" || address.host === "::" || address.host === "" ? "127.0.0.1" : address.host;
  const url = `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const kubeconfigPath = options.dataDir
    ? await step("write kubeconfig", () => writeKubeconfig(join(options.dataDir!, KUBECONFIG_FILE), { server: url, caPem, token }))
    : undefined;
  ready = true;
  log.info("API server listening", { url, kubeconfig: kubeconfigPath, resourceVersion: storage.resourceVersion });

  return {
    url, port, token, caPem, kubeconfigPath,
    setPodStreams(streams) {
      podStreams = streams;
    },
    setResourceUsage(source) {
      if (!resourceUsage) for (const info of metricsResources()) registry.put(info);
      resourceUsage = source;
    },
    async close() {
      ready = false;
      deleter.close();
      namespaceDefaults.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await storage.drain();
      log.info("API server stopped", { url });
    },
  };
}
