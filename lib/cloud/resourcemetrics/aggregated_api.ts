/**
 * `metrics.k8s.io/v1beta1` for a real cluster, served on its own HTTPS address for the cluster's aggregator (an
 * APIService, `conf/kubernetes/optional/metrics-apiservice.yaml`). The documents are the embedded API's
 * (`metricsDocument`); the nodes and pods they are checked against are read from the cluster per request (kubectl top
 * is rare, and a list is cheaper than keeping every pod of the cluster in memory for it).
 *
 * Only the aggregator may ask: the client certificate must chain to `clientCA` (the cluster's front-proxy CA) and
 * carry one of `allowedNames` as its CN. The cluster has authenticated and authorized the user before proxying.
 *
 * @module
 */
import type { AddressInfo } from "node:net";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { TLSSocket } from "node:tls";
import { CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import {
  METRICS_GROUP, metricsDocument, type MetricsObjects, metricsResources, parseRoute, type ResourceUsageSource, StatusError,
} from "../apiserver/index.ts";
import type { KubeObject } from "../../kube/index.ts";
import type { Logger } from "../../log/index.ts";

/** How the aggregated API is served. */
export type AggregatedApiOptions = {
  address: { host: string; port: number };
  /** Serving certificate and key (PEM). */
  tls: { cert: string; key: string };
  /** The front-proxy CA (PEM) the aggregator's client certificate chains to. */
  clientCA: string;
  /** CNs of the aggregator's client certificate. */
  allowedNames: string[];
  source: ResourceUsageSource;
  kubeConfig: KubeConfig;
  log: Logger;
};

/** A running aggregated API. */
export type AggregatedApi = { url: string; close(): Promise<void> };

const VERSION = "v1beta1";

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

/** The discovery documents the aggregator and kubectl read, by path. */
function discovery(path: string): object | undefined {
  const gv = { groupVersion: `${METRICS_GROUP}/${VERSION}`, version: VERSION };
  const group = { name: METRICS_GROUP, versions: [gv], preferredVersion: gv };
  if (path === "/apis") return { kind: "APIGroupList", apiVersion: "v1", groups: [group] };
  if (path === `/apis/${METRICS_GROUP}`) return { kind: "APIGroup", apiVersion: "v1", ...group };
  if (path === `/apis/${METRICS_GROUP}/${VERSION}`) {
    const resources = metricsResources().map((r) => ({ name: r.resource, singularName: "", namespaced: r.namespaced, kind: r.kind, verbs: r.verbs }));
    return { kind: "APIResourceList", apiVersion: "v1", groupVersion: gv.groupVersion, resources };
  }
  return undefined;
}

/** The nodes and the pods (of one namespace, or all) a request needs, read from the cluster now. */
async function clusterObjects(core: CoreV1Api, namespace: string | undefined): Promise<MetricsObjects> {
  const [nodes, pods] = await Promise.all([
    core.listNode(),
    namespace ? core.listNamespacedPod({ namespace }) : core.listPodForAllNamespaces(),
  ]);
  const nodeBy = new Map(nodes.items.map((n) => [n.metadata?.name ?? "", n as unknown as KubeObject]));
  const podBy = new Map(pods.items.map((p) => [`${p.metadata?.namespace}/${p.metadata?.name}`, p as unknown as KubeObject]));
  const info = (resource: string, kind: string, namespaced: boolean) => ({ ...metricsResources()[0]!, group: "", version: "v1", versions: ["v1"], resource, kind, namespaced });
  return {
    node: (name) => nodeBy.get(name),
    pod: (ns, name) => podBy.get(`${ns}/${name}`),
    nodeInfo: info("nodes", "Node", false),
    podInfo: info("pods", "Pod", true),
  };
}

/**
 * Starts serving.
 *
 * @throws Error when the address cannot be bound
 */
export async function startAggregatedApi(o: AggregatedApiOptions): Promise<AggregatedApi> {
  const core = o.kubeConfig.makeApiClient(CoreV1Api);
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket as TLSSocket;
    const cn = socket.authorized ? socket.getPeerCertificate()?.subject?.CN : undefined;
    if (!cn || !o.allowedNames.includes(String(cn))) {
      throw new StatusError(401, "Unauthorized", "Unauthorized: only the cluster's aggregator (front-proxy client certificate) may ask");
    }
    const url = new URL(req.url ?? "/", "https://metrics");
    const doc = discovery(url.pathname.replace(/\/$/, ""));
    if (doc) return send(res, 200, doc);
    const route = parseRoute(url.pathname);
    if (route.type !== "resource" || route.group !== METRICS_GROUP) throw new StatusError(404, "NotFound", "the server could not find the requested resource");
    const objects = await clusterObjects(core, route.namespace);
    send(res, 200, metricsDocument(req.method ?? "GET", route, url.searchParams, o.source, objects));
  };
  const server: Server = createServer({ cert: o.tls.cert, key: o.tls.key, ca: o.clientCA, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    req.resume();
    serve(req, res).catch((err: unknown) => {
      const status = err instanceof StatusError ? err : new StatusError(503, "ServiceUnavailable", `Cannot read nodes and pods from the cluster: ${err instanceof Error ? err.message : String(err)}`);
      if (status.code >= 500) o.log.warn("metrics request failed", { path: req.url, error: status.message });
      if (!res.headersSent) send(res, status.code, status.toStatus());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.address.port, o.address.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://${o.address.host.includes(":") ? `[${o.address.host}]` : o.address.host}:${port}`;
  o.log.info("metrics.k8s.io serving for the cluster's aggregator", { url });
  return {
    url,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
