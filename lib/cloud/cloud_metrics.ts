/**
 * What cloud_core exposes on `/metrics`, read from the modules' own counters at scrape time, and what `/readyz`
 * checks: the Kubernetes API answers, cloudhub listens, and the embedded API's store is open.
 *
 * @module
 */
import { request } from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Bus } from "../core/index.ts";
import { type ReadyCheck, type Registry, registerProcessMetrics, sampledCounter, sampledGauge, storeDiskBytes } from "../metrics/index.ts";
import type { CloudHub } from "./cloudhub/index.ts";
import type { DeviceController } from "./devicecontroller/index.ts";
import type { EdgeController } from "./edgecontroller/index.ts";

/** The modules metrics are read from. */
export type CloudMetricSources = {
  bus: Bus;
  hub?: CloudHub;
  edgeController?: EdgeController;
  deviceController?: DeviceController;
  /** The embedded API's store file, when it runs. */
  storePath?: string;
};

/** Registers the cloud metrics on `registry`. */
export function registerCloudMetrics(registry: Registry, s: CloudMetricSources): void {
  registerProcessMetrics(registry);
  const c = (name: string, help: string, read: () => number) => sampledCounter(registry, { name, help, read });
  const hub = s.hub;
  if (hub) {
    sampledGauge(registry, { name: "kubeedge_cloud_connected_nodes", help: "Edge nodes linked to cloudhub now.", read: () => hub.stats().connected });
    // Per-link series for the nodes linked now: one series per node, as kubelet-per-node metrics are.
    const perNode = (name: string, help: string, pick: (n: ReturnType<CloudHub["nodeStats"]>) => number, counter: boolean) => {
      const read = () => hub.connectedNodes().map((node) => ({ labels: { node }, value: pick(hub.nodeStats(node)) }));
      return counter ? sampledCounter(registry, { name, help, labelNames: ["node"], read }) : sampledGauge(registry, { name, help, labelNames: ["node"], read });
    };
    perNode("kubeedge_cloud_link_messages_received_total", "Messages received from each linked node.", (n) => n.in, true);
    perNode("kubeedge_cloud_link_messages_sent_total", "Messages sent to each linked node.", (n) => n.out, true);
    perNode("kubeedge_cloud_link_pending_messages", "Messages sent to each linked node and not yet acknowledged.", (n) => n.pending, false);
    c("kubeedge_cloud_link_resends_total", "Messages sent again because their acknowledgement did not come in time.", () => hub.stats().totals.resent);
    c("kubeedge_cloud_link_dropped_total", "Messages dropped (stale versions, overflow, no target).", () => hub.stats().totals.dropped);
    c("kubeedge_cloud_link_bad_frames_total", "Frames from nodes that were not valid messages (each closed its link).", () => hub.stats().totals.badFrames);
    c("kubeedge_cloud_handshakes_shed_total", "Connections closed before TLS because too many handshakes were in progress.", () => hub.stats().shed);
    c("kubeedge_cloud_handshakes_refused_total", "Link upgrades refused (bad path, certificate, node limit).", () => hub.stats().refused);
    sampledGauge(registry, { name: "kubeedge_cloud_pending_messages", help: "Unacknowledged messages over all nodes.", read: () => hub.stats().pending });
    sampledGauge(registry, { name: "kubeedge_cloud_frame_budget_bytes", help: "Bytes received from nodes and not yet handed on (cloudHub.maxInflightBytes bounds it).", read: () => hub.stats().frameBudget.heldBytes });
    sampledGauge(registry, { name: "kubeedge_cloud_frame_budget_peak_bytes", help: "Most bytes received from nodes and not yet handed on, since start.", read: () => hub.stats().frameBudget.peakBytes });
    c("kubeedge_cloud_frame_budget_waits_total", "Times a link was not read because its next message did not fit in the frame budget.", () => hub.stats().frameBudget.waits);
  }
  sampledGauge(registry, {
    name: "kubeedge_cloud_bus_queue_depth",
    help: "Messages waiting in each module's inbox.",
    labelNames: ["module"],
    read: () => s.bus.moduleNames.map((m) => ({ labels: { module: m }, value: s.bus.queued(m) ?? 0 })),
  });
  const ec = s.edgeController;
  if (ec) {
    c("kubeedge_cloud_edge_reports_total", "Reports from nodes applied to the Kubernetes API.", () => ec.stats.upstream);
    c("kubeedge_cloud_edge_reports_failed_total", "Reports from nodes the Kubernetes API refused or that failed.", () => ec.stats.failed);
    c("kubeedge_cloud_edge_reports_forbidden_total", "Reports from nodes about objects that are not theirs (refused).", () => ec.stats.forbidden);
    c("kubeedge_cloud_edge_objects_sent_total", "Kubernetes objects sent down to nodes.", () => ec.stats.downstream);
  }
  const dc = s.deviceController;
  if (dc) {
    c("kubeedge_cloud_twin_reports_total", "Device twin reports from nodes written to Device status.", () => dc.stats.reports);
    c("kubeedge_cloud_twin_updates_sent_total", "Desired twin updates sent to nodes.", () => dc.stats.twinUpdates);
  }
  const storePath = s.storePath;
  if (storePath) {
    sampledGauge(registry, {
      name: "kubeedge_cloud_store_bytes",
      help: "Bytes of the embedded API's store on disk, by file kind (snapshot, journal).",
      labelNames: ["file"],
      read: () => {
        const b = storeDiskBytes(storePath);
        return [{ labels: { file: "snapshot" }, value: b.snapshot }, { labels: { file: "journal" }, value: b.journal }];
      },
    });
  }
}

/** The readiness checks of cloud_core: the Kubernetes API, cloudhub, and the embedded store. */
export function cloudReadyChecks(s: { kubeConfig: KubeConfig; hub?: CloudHub; storeOpen?: () => boolean }): ReadyCheck[] {
  const checks: ReadyCheck[] = [{ name: "kubernetes-api", check: () => apiAnswers(s.kubeConfig) }];
  const hub = s.hub;
  if (hub) {
    checks.push({
      name: "cloudhub",
      check: () => {
        try {
          return hub.address.port > 0;
        } catch (e) {
          return e instanceof Error ? e.message : String(e);
        }
      },
    });
  }
  const storeOpen = s.storeOpen;
  if (storeOpen) checks.push({ name: "store", check: () => storeOpen() || "the store is closed" });
  return checks;
}

/** Asks the API's `/readyz` (any answer below 500 means it is there and serving; RBAC may forbid /readyz itself). */
async function apiAnswers(kc: KubeConfig): Promise<true | string> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) return "no cluster in the kubeconfig";
  const opts: { headers?: Record<string, string> } & Record<string, unknown> = {};
  await kc.applyToHTTPSOptions(opts);
  return new Promise((resolve) => {
    const req = request(new URL("/readyz", cluster.server), { ...opts, method: "GET", timeout: 2500 }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(code > 0 && code < 500 ? true : `the Kubernetes API answered ${code}`);
    });
    req.on("timeout", () => req.destroy(new Error("no answer in 2.5 s")));
    req.on("error", (e) => resolve(`cannot reach the Kubernetes API at ${cluster.server}: ${e.message}`));
    req.end();
  });
}
