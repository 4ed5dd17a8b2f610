/**
 * The edge_core configuration (`edge.yaml`). Modules receive their own slice; `conf/edge.yaml` is the commented
 * example and the reference in README is generated from this schema (test/config keeps them in sync).
 *
 * @module
 */
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { bool, duration, hostPort, type Infer, int, oneOf, section, str } from "./schema.ts";

/** The edge schema. Key names are part of the user contract: keep them. */
export const edgeSchema = section("edge_core configuration", {
  nodeName: str("Name of this node in Kubernetes; must equal the CN of edgeHub.tls.cert. Default: the host name"),
  dataDir: str("Folder for the store, certificates and pod volumes", "/var/lib/kubeedge-ts/edge"),
  logLevel: oneOf("Lowest log level written", ["debug", "info", "warn", "error"], "info"),
  edgeHub: section("Link to cloudhub", {
    server: hostPort("host:port of cloudhub", "127.0.0.1:10000"),
    projectId: str("Project id in the link URL", "e632aba927ea4ac2b575ec1603d56f10"),
    tls: section("Client certificate issued by `cloud_core cert --node NAME`", {
      ca: str("CA certificate (PEM). Default: <dataDir>/certs/ca.crt"),
      cert: str("Node certificate (PEM, CN = nodeName). Default: <dataDir>/certs/node.crt"),
      key: str("Node private key (PEM). Default: <dataDir>/certs/node.key"),
    }),
    heartbeat: duration("Keepalive interval", "15s"),
    reconnectMax: duration("Longest wait between reconnect attempts (exponential backoff with jitter)", "30s"),
    requestTimeout: duration("How long a query to the cloud waits for its answer", "60s"),
  }),
  metaManager: section("Local metadata store", {
    podStatusSyncInterval: duration("How often all pod statuses are re-sent to the cloud", "60s"),
  }),
  edged: section("Pod manager", {
    enable: bool("Run pods on the container engine", true),
    dockerSocket: str("Docker Engine API unix socket", "/var/run/docker.sock"),
    nodeIP: str("IP reported as InternalIP. Default: the first non-loopback IPv4 address"),
    maxPods: int("Pods this node accepts", 110, 1, 10_000),
    statusInterval: duration("How often node status is reported", "10s"),
    sandboxImage: str("Image of the pod sandbox that holds each pod's network; the default is built offline from busybox", "kubeedge-ts/busybox:latest"),
    busyboxPath: str("Static busybox (Debian busybox-static) used to build kubeedge-ts/busybox:latest when it is missing", "/bin/busybox"),
    restartBackoff: duration("First wait before restarting a crashed container; doubles per crash (CrashLoopBackOff)", "10s"),
    restartBackoffMax: duration("Longest wait between restarts of a crashing container", "5m"),
    concurrentSyncs: int("Pods set up or changed at the same time", 8, 1, 256),
  }),
  eventBus: section("MQTT for devices", {
    mode: oneOf("Which broker devices use", ["internal", "external", "both"], "internal"),
    internal: section("Built-in broker", {
      address: hostPort("Listen address of the internal broker", "127.0.0.1:1884"),
    }),
    external: section("External broker such as mosquitto", {
      url: str("Broker URL", "tcp://127.0.0.1:1883"),
      username: str("User name for the external broker"),
      password: str("Password for the external broker"),
    }),
  }),
  metrics: section("Prometheus metrics and health endpoints (/metrics, /healthz, /readyz)", {
    enable: bool("Serve them", true),
    address: hostPort("Listen address (plain HTTP; keep it on loopback unless a scraper elsewhere needs it)", "127.0.0.1:10350"),
  }),
});

/** A validated edge configuration with paths resolved. */
export type EdgeConfig = Infer<typeof edgeSchema> & {
  nodeName: string;
  edgeHub: { tls: { ca: string; cert: string; key: string } };
};

/** Fills defaults that depend on other keys (node name, certificate paths under dataDir) and makes paths absolute. */
export function resolveEdgeConfig(raw: Infer<typeof edgeSchema>, baseDir = process.cwd()): EdgeConfig {
  const dataDir = resolve(baseDir, raw.dataDir);
  const certs = join(dataDir, "certs");
  const tls = raw.edgeHub.tls;
  return {
    ...raw,
    nodeName: raw.nodeName ?? hostname().toLowerCase(),
    dataDir,
    edgeHub: {
      ...raw.edgeHub,
      tls: {
        ca: resolve(baseDir, tls.ca ?? join(certs, "ca.crt")),
        cert: resolve(baseDir, tls.cert ?? join(certs, "node.crt")),
        key: resolve(baseDir, tls.key ?? join(certs, "node.key")),
      },
    },
  };
}
