/**
 * Assembles edge_core: store, bus and modules, wired explicitly from the config.
 *
 * @module
 */
import { join } from "node:path";
import type { EdgeConfig } from "../config/index.ts";
import { Bus } from "../core/index.ts";
import type { Logger } from "../log/index.ts";
import { openStore, preparePrivateDataDir } from "../store/index.ts";
import type { Store } from "../store/types.ts";
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
  const store = await openStore(join(config.dataDir, "edge.db"), { log: log.child("store") });
  const bus = new Bus({ log });
  try {
    for (const m of edgeModules(config, { store, log })) bus.register(m);
    await bus.start();
  } catch (e) {
    await store.close();
    throw e;
  }
  log.info("edge_core started", { node: config.nodeName, dataDir: config.dataDir, modules: bus.moduleNames.join(",") });
  return {
    bus,
    store,
    async stop() {
      await bus.stop();
      await store.close();
    },
  };
}
