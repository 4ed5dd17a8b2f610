/**
 * The one list of edge modules and the config slice each gets (KubeEdge's registerModules). Order matters: modules
 * start in this order and stop in reverse, so edgehub comes last and goes first.
 *
 * @module
 */
import type { EdgeConfig } from "../config/index.ts";
import type { Module } from "../core/index.ts";
import type { Logger } from "../log/index.ts";
import type { Store } from "../store/types.ts";

/** What the process hands every module constructor. */
export type EdgeDeps = { store: Store; log: Logger };

/** Builds the edge modules for a config. */
export function edgeModules(config: EdgeConfig, deps: EdgeDeps): Module[] {
  void config;
  void deps;
  return [];
}
