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
import { DeviceTwin } from "./devicetwin/index.ts";
import { Edged, NodeOnly } from "./edged/index.ts";
import { EdgeHub } from "./edgehub/index.ts";
import { EventBus } from "./eventbus/index.ts";
import { MetaManager } from "./metamanager/index.ts";
import { PodStreamsEdge } from "./podstreams/index.ts";
import { ServiceBus } from "./servicebus/index.ts";

/** What the process hands every module constructor. */
export type EdgeDeps = {
  store: Store;
  log: Logger;
  /** Receives each device twin request's action and seconds until stored (metrics). */
  observeTwin?: (action: string, seconds: number) => void;
};

/** Builds the edge modules for a config. */
export function edgeModules(config: EdgeConfig, deps: EdgeDeps): Module[] {
  const { store, log } = deps;
  const hub = config.edgeHub;
  const edged = config.edged.enable ? new Edged({
    nodeName: config.nodeName,
    dataDir: config.dataDir,
    dockerSocket: config.edged.dockerSocket,
    nodeIP: config.edged.nodeIP,
    maxPods: config.edged.maxPods,
    statusIntervalMs: config.edged.statusInterval,
    resourceUsageIntervalMs: config.edged.resourceUsageInterval,
    sandboxImage: config.edged.sandboxImage,
    busyboxPath: config.edged.busyboxPath,
    restartBackoffBaseMs: config.edged.restartBackoff,
    restartBackoffMaxMs: config.edged.restartBackoffMax,
    concurrentSyncs: config.edged.concurrentSyncs,
    store,
  }) : undefined;
  return [
    new MetaManager({
      store,
      remoteQueryTimeoutMs: hub.requestTimeout,
      podStatusSyncIntervalMs: config.metaManager.podStatusSyncInterval,
      log: log.child("metamanager"),
    }),
    ...(edged
      ? [edged, new PodStreamsEdge({ engine: edged, log: log.child("podstreams") })]
      : [new NodeOnly({ nodeName: config.nodeName, nodeIP: config.edged.nodeIP, statusIntervalMs: config.edged.statusInterval })]),
    new ServiceBus({ log: log.child("servicebus") }),
    new DeviceTwin({ store, nodeName: config.nodeName, observe: deps.observeTwin, log: log.child("devicetwin") }),
    new EventBus({
      mode: config.eventBus.mode,
      internal: { host: config.eventBus.internal.address.host, port: config.eventBus.internal.address.port, auth: config.eventBus.internal.auth, tls: config.eventBus.internal.tlsFiles },
      external: config.eventBus.external,
      log: log.child("eventbus"),
    }),
    new EdgeHub({
      nodeName: config.nodeName,
      server: { host: hub.server.host, port: hub.server.port },
      projectId: hub.projectId,
      tls: hub.tls,
      heartbeatMs: hub.heartbeat,
      reconnectMaxMs: hub.reconnectMax,
      store,
      log: log.child("edgehub"),
    }),
  ];
}
