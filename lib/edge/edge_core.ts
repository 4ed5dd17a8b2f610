/**
 * Assembles edge_core: store, bus and modules, wired explicitly from the config.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { EdgeConfig } from "../config/index.ts";
import { Bus, type Module } from "../core/index.ts";
import type { Logger } from "../log/index.ts";
import { openStore, preparePrivateDataDir } from "../store/index.ts";
import type { Store } from "../store/types.ts";
import { type MetricsServer, Registry, startMetricsServer, timedStore } from "../metrics/index.ts";
import { DeviceTwin } from "./devicetwin/index.ts";
import { edgeReadyChecks, registerEdgeMetrics, twinLatencyHistogram } from "./edge_metrics.ts";
import { Edged } from "./edged/index.ts";
import { EdgeHub } from "./edgehub/index.ts";
import { EventBus } from "./eventbus/index.ts";
import { edgeModules } from "./modules.ts";

/** A running edge_core. */
export type EdgeCore = { bus: Bus; store: Store; stop(): Promise<void> };

/**
 * Pod volume folders (`pods/<uid>/volumes/<kind>/<name>`) and their contents keep the modes the pod asked for: containers
 * running as other users read them through the bind mount, and their 0700 parents keep host users out.
 */
const POD_VOLUME = /^pods\/[^/]+\/volumes\/[^/]+\/[^/]+$/;

/** Opens the store, starts the modules; `stop` ends them and flushes the store. */
export async function startEdgeCore(config: EdgeConfig, log: Logger): Promise<EdgeCore> {
  await preparePrivateDataDir(config.dataDir, log, { keep: (rel) => POD_VOLUME.test(rel) });
  const storePath = join(config.dataDir, "edge.db");
  const storedState = existsSync(storePath);
  const registry = new Registry();
  const rawStore = await openStore(storePath, { log: log.child("store") });
  const store = config.metrics.enable ? timedStore(rawStore, registry, "kubeedge_edge") : rawStore;
  let storeOpen = true;
  const bus = new Bus({ log });
  const twinLatency = twinLatencyHistogram(registry);
  const modules = edgeModules(config, { store, log, observeTwin: (action, seconds) => twinLatency.observe({ action }, seconds) });
  try {
    for (const m of modules) bus.register(m);
    await bus.start();
  } catch (e) {
    await store.close();
    throw e;
  }
  let metrics: MetricsServer | undefined;
  if (config.metrics.enable) {
    const find = <T>(k: abstract new (...a: never[]) => T) => modules.find((m): m is Module & T => m instanceof k);
    const sources = { bus, storePath, hub: find(EdgeHub), edged: find(Edged), twin: find(DeviceTwin), eventBus: find(EventBus) };
    registerEdgeMetrics(registry, sources);
    const { host, port } = config.metrics.address;
    try {
      metrics = await startMetricsServer({ host, port, registry, ready: edgeReadyChecks({ ...sources, storedState, storeOpen: () => storeOpen }), log: log.child("metrics") });
      log.info("metrics and health endpoints serving", { url: metrics.url });
    } catch (e) {
      // the node's work matters more than its metrics: run on without them
      log.warn("cannot serve metrics and health endpoints; running without them", { address: config.metrics.address.text, error: e instanceof Error ? e.message : String(e) });
    }
  }
  log.info("edge_core started", { node: config.nodeName, dataDir: config.dataDir, modules: bus.moduleNames.join(",") });
  return {
    bus,
    store,
    async stop() {
      await metrics?.close();
      await bus.stop();
      storeOpen = false;
      await store.close();
    },
  };
}
