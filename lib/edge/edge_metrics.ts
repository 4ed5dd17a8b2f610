/**
 * What edge_core exposes on `/metrics`, read from the modules' own counters at scrape time, and what `/readyz`
 * checks: the store is open, the cloud link is up or the node runs autonomously on what it stored (both are ready:
 * an edge that lost its cloud still serves its pods), and the container engine answers when Edged runs.
 *
 * @module
 */
import { Histogram, type ReadyCheck, type Registry, registerProcessMetrics, sampledCounter, sampledGauge, storeDiskBytes } from "../metrics/index.ts";
import type { Bus } from "../core/index.ts";
import type { DeviceTwin } from "./devicetwin/index.ts";
import type { Edged } from "./edged/index.ts";
import type { EdgeHub } from "./edgehub/index.ts";
import type { EventBus } from "./eventbus/index.ts";

/** The modules metrics are read from; each may be absent (Edged with `edged.enable: false`). */
export type EdgeMetricSources = {
  bus: Bus;
  storePath: string;
  hub?: EdgeHub;
  edged?: Edged;
  twin?: DeviceTwin;
  eventBus?: EventBus;
};

const TWIN_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** A histogram for DeviceTwin's `observe` option, created before the modules so it can be handed to DeviceTwin. */
export function twinLatencyHistogram(registry: Registry): Histogram {
  return new Histogram({
    name: "kubeedge_edge_twin_request_duration_seconds",
    help: "Time from a device twin request's arrival until its result is stored, by action.",
    labelNames: ["action"],
    buckets: TWIN_BUCKETS,
    registers: [registry],
  });
}

/** Registers the edge metrics on `registry`. */
export function registerEdgeMetrics(registry: Registry, s: EdgeMetricSources): void {
  registerProcessMetrics(registry);
  const c = (name: string, help: string, read: () => number) => sampledCounter(registry, { name, help, read });
  const hub = s.hub;
  if (hub) {
    sampledGauge(registry, {
      name: "kubeedge_edge_cloud_link_up",
      help: "1 while the link to cloudhub is connected, 0 otherwise.",
      read: () => (hub.state === "connected" ? 1 : 0),
    });
    c("kubeedge_edge_link_messages_received_total", "Messages received from the cloud.", () => hub.counters.in);
    c("kubeedge_edge_link_messages_sent_total", "Messages sent to the cloud.", () => hub.counters.out);
    c("kubeedge_edge_link_resends_total", "Reports sent again after a reconnect.", () => hub.counters.resent);
    c("kubeedge_edge_link_connects_total", "Links to the cloud established (the first one and every reconnect).", () => hub.counters.connects);
    c("kubeedge_edge_link_bad_frames_total", "Frames from the cloud that were not valid messages.", () => hub.counters.badFrames);
    sampledGauge(registry, { name: "kubeedge_edge_link_pending_reports", help: "Reports kept for the cloud, waiting for the link.", read: () => hub.keptReports });
  }
  sampledGauge(registry, {
    name: "kubeedge_edge_bus_queue_depth",
    help: "Messages waiting in each module's inbox.",
    labelNames: ["module"],
    read: () => s.bus.moduleNames.map((m) => ({ labels: { module: m }, value: s.bus.queued(m) ?? 0 })),
  });
  sampledGauge(registry, {
    name: "kubeedge_edge_store_bytes",
    help: "Bytes of the edge store on disk, by file kind (snapshot, journal).",
    labelNames: ["file"],
    read: () => {
      const b = storeDiskBytes(s.storePath);
      return [{ labels: { file: "snapshot" }, value: b.snapshot }, { labels: { file: "journal" }, value: b.journal }];
    },
  });
  const edged = s.edged;
  if (edged) {
    sampledGauge(registry, {
      name: "kubeedge_edge_pods",
      help: "Pods on this node by the phase last reported.",
      labelNames: ["phase"],
      read: () => {
        const by = new Map<string, number>([["Pending", 0], ["Running", 0], ["Succeeded", 0], ["Failed", 0]]);
        for (const p of edged.stats.phases.values()) by.set(p, (by.get(p) ?? 0) + 1);
        return [...by].map(([phase, value]) => ({ labels: { phase }, value }));
      },
    });
  }
  const twin = s.twin;
  if (twin) {
    sampledCounter(registry, {
      name: "kubeedge_edge_twin_requests_total",
      help: "Device twin requests handled, by action.",
      labelNames: ["action"],
      read: () => Object.entries(twin.stats.handled).map(([action, value]) => ({ labels: { action }, value })),
    });
    c("kubeedge_edge_twin_rejected_total", "Device twin requests answered with an error.", () => twin.stats.rejected);
    c("kubeedge_edge_twin_reports_total", "Twin reports sent to the cloud.", () => twin.stats.synced);
  }
  const eb = s.eventBus;
  if (eb) {
    sampledGauge(registry, { name: "kubeedge_edge_mqtt_clients", help: "MQTT clients connected to the internal broker.", read: () => eb.internalClients });
    c("kubeedge_edge_mqtt_messages_received_total", "MQTT messages received from devices.", () => eb.stats.received);
    c("kubeedge_edge_mqtt_messages_published_total", "MQTT messages published to a broker.", () => eb.stats.published);
    c("kubeedge_edge_mqtt_messages_dropped_total", "MQTT messages dropped (broker unreachable, nobody to take them).", () => eb.stats.dropped);
  }
}

/** The readiness checks of an edge: store, cloud link or autonomy, container engine. */
export function edgeReadyChecks(s: EdgeMetricSources & { storeOpen: () => boolean; storedState: boolean }): ReadyCheck[] {
  const checks: ReadyCheck[] = [{ name: "store", check: () => s.storeOpen() || "the store is closed" }];
  const hub = s.hub;
  // Offline is a normal state for an edge node once it has what the cloud sent it stored: it runs on that
  // (autonomy). Only a node that has never reached its cloud has nothing to run on.
  if (hub) {
    checks.push({
      name: "cloud-link-or-autonomy",
      check: () => hub.state === "connected" || hub.counters.connects > 0 || s.storedState || `not connected to the cloud yet (${hub.state}) and nothing stored to run on`,
    });
  }
  const edged = s.edged;
  if (edged) checks.push({ name: "container-runtime", check: () => edged.runtimeReady() });
  return checks;
}
