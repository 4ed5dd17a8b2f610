/**
 * Assembles cloud_core: the CA and server certificate, the embedded Kubernetes API when no kubeconfig is given,
 * one client-node KubeConfig for every controller (embedded or real cluster: one code path), and the modules.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import type { CloudConfig } from "../config/index.ts";
import { Bus } from "../core/index.ts";
import type { Logger } from "../log/index.ts";
import { ensureCloudPki } from "../pki/index.ts";
import { type MetricsServer, Registry, startMetricsServer, timedStore } from "../metrics/index.ts";
import { openStore, preparePrivateDataDir, PRIVATE_FILE_MODE } from "../store/index.ts";
import { type ApiServer, startApiServer } from "./apiserver/index.ts";
import { cloudReadyChecks, registerCloudMetrics } from "./cloud_metrics.ts";
import { CloudHub } from "./cloudhub/index.ts";
import { DeviceController } from "./devicecontroller/index.ts";
import { EdgeController } from "./edgecontroller/index.ts";
import { cloudModules } from "./modules.ts";
import { pooledKubeConfig } from "./pooled_kube_config.ts";
import { PodStreamsCloud } from "./podstreams/index.ts";
import { ResourceMetrics, startAggregatedApi } from "./resourcemetrics/index.ts";

/** A running cloud_core. */
export type CloudCore = { bus: Bus; api?: ApiServer; kubeconfigPath: string; stop(): Promise<void> };

/** Reads `<dataDir>/<name>`, creating it with a random token (mode 0600) on first use. */
function tokenFile(dataDir: string, name: string): string {
  const path = join(dataDir, name);
  if (!existsSync(path)) writeFileSync(path, randomBytes(24).toString("base64url") + "\n", { mode: PRIVATE_FILE_MODE });
  return readFileSync(path, "utf8").trim();
}

/** Starts everything; `stop` ends the modules, the API and the store, in that order. */
export async function startCloudCore(config: CloudConfig, log: Logger): Promise<CloudCore> {
  await preparePrivateDataDir(config.dataDir, log);
  const hosts = config.cloudHub.advertiseAddress ? [config.cloudHub.advertiseAddress] : [];
  const pki = await ensureCloudPki(config.cloudHub.tls, { hosts, log: log.child("pki") });
  const closers: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const c of closers.splice(0).reverse()) await c().catch((e) => log.error("stop failed", { error: String(e) }));
  };
  const registry = new Registry();
  let storePath: string | undefined;
  let storeOpen: (() => boolean) | undefined;
  try {
    let kubeconfigPath = config.kubernetes.kubeconfig;
    let api: ApiServer | undefined;
    if (!kubeconfigPath) {
      storePath = join(config.dataDir, "cloud.db");
      const opened = await openStore(storePath, { log: log.child("store") });
      let open = true;
      storeOpen = () => open;
      const store = config.metrics.enable ? timedStore(opened, registry, "kubeedge_cloud") : opened;
      closers.push(async () => {
        open = false;
        await store.close();
      });
      api = await startApiServer({
        store,
        address: config.apiserver.address,
        tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert },
        dataDir: config.dataDir,
        podDeletionTimeoutMs: config.apiserver.podDeletionTimeout,
        ownNamespaces: [config.kubernetes.namespace],
        log: log.child("apiserver"),
      });
      closers.push(() => api!.close());
      kubeconfigPath = api.kubeconfigPath!;
      log.info("embedded Kubernetes API serving", { url: api.url, kubeconfig: kubeconfigPath });
    }
    const loaded = new KubeConfig();
    loaded.loadFromFile(kubeconfigPath);
    // one keep-alive pool for every module: client-node 1.4 would otherwise pay a TLS handshake per request
    const pool = pooledKubeConfig(loaded);
    closers.push(async () => pool.close());
    const kubeConfig = pool.kubeConfig;
    const bus = new Bus({ log });
    const modules = cloudModules(config, { bus, kubeConfig, pki, serviceBusToken: tokenFile(config.dataDir, "servicebus.token"), embedded: !!api, log });
    for (const m of modules) bus.register(m);
    // The embedded API serves pods/log and pods/exec over the node links; a real cluster's kubelets serve their own.
    const podStreams = modules.find((m) => m instanceof PodStreamsCloud);
    if (api && podStreams) api.setPodStreams(podStreams);
    const usage = modules.find((m) => m instanceof ResourceMetrics);
    if (api && usage) api.setResourceUsage(usage);
    if (config.metricsApi.enable && usage) {
      const m = config.metricsApi;
      if (api || !m.clientCA) throw new Error("Cannot serve metricsApi: it needs kubernetes.kubeconfig (a real cluster) and metricsApi.clientCA");
      const aggregated = await startAggregatedApi({
        address: { host: m.address.host, port: m.address.port }, tls: { cert: pki.serverCert, key: pki.serverKey },
        clientCA: readFileSync(m.clientCA, "utf8"), allowedNames: m.allowedNames.split(",").map((n) => n.trim()).filter(Boolean),
        source: usage, kubeConfig, log: log.child("metricsapi"),
      });
      closers.push(() => aggregated.close());
    }
    await bus.start();
    closers.push(() => bus.stop());
    if (config.metrics.enable) {
      const find = <T>(k: abstract new (...a: never[]) => T) => modules.find((m): m is (typeof modules)[number] & T => m instanceof k);
      const hub = find(CloudHub);
      registerCloudMetrics(registry, { bus, hub, edgeController: find(EdgeController), deviceController: find(DeviceController), storePath });
      const { host, port } = config.metrics.address;
      try {
        const metrics: MetricsServer = await startMetricsServer({ host, port, registry, ready: cloudReadyChecks({ kubeConfig: loaded, hub, storeOpen }), log: log.child("metrics") });
        closers.push(() => metrics.close());
        log.info("metrics and health endpoints serving", { url: metrics.url });
      } catch (e) {
        // serving nodes matters more than metrics: run on without them
        log.warn("cannot serve metrics and health endpoints; running without them", { address: config.metrics.address.text, error: e instanceof Error ? e.message : String(e) });
      }
    }
    log.info("cloud_core started", { cloudhub: config.cloudHub.address.text, kubeconfig: kubeconfigPath, modules: bus.moduleNames.join(",") });
    return { bus, api, kubeconfigPath, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
