/**
 * Assembles edge_core: store, bus and modules, wired explicitly from the config.
 *
 * @module
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { EdgeConfig } from "../config/index.ts";
import { Bus } from "../core/index.ts";
import type { Logger } from "../log/index.ts";
import { openStore } from "../store/index.ts";
import type { Store } from "../store/types.ts";
import { edgeModules } from "./modules.ts";

/** A running edge_core. */
export type EdgeCore = { bus: Bus; store: Store; stop(): Promise<void> };

/** Opens the store, starts the modules; `stop` ends them and flushes the store. */
export async function startEdgeCore(config: EdgeConfig, log: Logger): Promise<EdgeCore> {
  mkdirSync(config.dataDir, { recursive: true });
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
