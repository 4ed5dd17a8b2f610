/**
 * The cloud_core configuration (`cloud.yaml`).
 *
 * @module
 */
import { join, resolve } from "node:path";
import { bool, duration, hostPort, type Infer, int, oneOf, section, str } from "./schema.ts";

/** The cloud schema. Key names are part of the user contract: keep them. */
export const cloudSchema = section("cloud_core configuration", {
  dataDir: str("Folder for the store, the CA and certificates", "/var/lib/kubeedge-ts/cloud"),
  logLevel: oneOf("Lowest log level written", ["debug", "info", "warn", "error"], "info"),
  cloudHub: section("Where edge nodes connect", {
    address: hostPort("Listen address of the websocket server", "0.0.0.0:10000"),
    tls: section("Server certificate and the CA that signs node certificates; generated into dataDir when absent", {
      ca: str("CA certificate (PEM). Default: <dataDir>/pki/ca.crt"),
      caKey: str("CA private key (PEM), used to issue node certificates. Default: <dataDir>/pki/ca.key"),
      cert: str("cloudhub server certificate (PEM). Default: <dataDir>/pki/server.crt"),
      key: str("cloudhub server key (PEM). Default: <dataDir>/pki/server.key"),
    }),
    nodeLimit: int("Most nodes connected at once; more get HTTP 429", 500, 1, 1_000_000),
    keepaliveTimeout: duration("A link silent this long is closed", "30s", { min: "1s", max: "1h" }),
    maxFrameBytes: int("Largest frame accepted from an edge, in bytes (1 KiB to 64 MiB)", 32 * 1024 * 1024, 1024, 64 * 1024 * 1024),
    maxPendingHandshakes: int("Connections held before their link upgrade (TLS under way); past it idle ones are shed first", 1024, 1, 65_536),
    maxPendingPerAddress: int("Connections held before their link upgrade from one source address", 64, 1, 65_536),
    preHandshakeIdleTimeout: duration("A connection that sends no byte this long is dropped (a node sends its TLS hello at once)", "3s", { min: "100ms", max: "1m" }),
    handshakeTimeout: duration("A connection that has not finished TLS and sent its upgrade request this long is dropped", "10s", { min: "1s", max: "5m" }),
    advertiseAddress: str("Extra IP or DNS name put in the server certificate", undefined, { max: 253 }),
  }),
  kubernetes: section("Which Kubernetes to use", {
    kubeconfig: str("Path of a kubeconfig for a real cluster. Absent: start the embedded API"),
    namespace: str("Namespace of cloud_core's own objects (join tokens, revoked node certificates); conf/kubernetes runs it there", "kubeedge-ts", {
      max: 63,
      check: (s) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s),
      expected: "a namespace name (DNS-1123 label: lower case letters, digits and '-')",
    }),
  }),
  apiserver: section("The embedded Kubernetes API (used when kubernetes.kubeconfig is absent)", {
    address: hostPort("Listen address (HTTPS)", "127.0.0.1:6443"),
    podDeletionTimeout: duration("How long after its grace period a deleted pod whose node never confirms is removed", "30s", { min: "100ms", max: "24h" }),
  }),
  edgeController: section("Kubernetes objects to edge nodes", {
    nodeGracePeriod: duration("A node silent this long is marked NotReady", "40s", { min: "100ms", max: "24h" }),
  }),
  metricsApi: section("metrics.k8s.io (kubectl top) for a real cluster's aggregator: conf/kubernetes/optional/metrics-apiservice.yaml. The embedded API serves it without this", {
    enable: bool("Serve it (needs kubernetes.kubeconfig and metricsApi.clientCA)", false),
    address: hostPort("Listen address (HTTPS, cloudhub's server certificate)", "0.0.0.0:10353"),
    clientCA: str("The cluster's front-proxy CA (PEM file, kube-apiserver --requestheader-client-ca-file): only clients it signed may ask"),
    allowedNames: str("Comma-separated CNs the aggregator's client certificate may carry (kube-apiserver --requestheader-allowed-names)", "front-proxy-client", { max: 1024 }),
  }),
  metrics: section("Prometheus metrics and health endpoints (/metrics, /healthz, /readyz)", {
    enable: bool("Serve them", true),
    address: hostPort("Listen address (plain HTTP; in a cluster, 0.0.0.0 so probes and scrapers reach it)", "127.0.0.1:10351"),
  }),
});

/** A validated cloud configuration with paths resolved. */
export type CloudConfig = Infer<typeof cloudSchema> & {
  cloudHub: { tls: { ca: string; caKey: string; cert: string; key: string } };
};

/** Fills certificate paths under dataDir and makes paths absolute. */
export function resolveCloudConfig(raw: Infer<typeof cloudSchema>, baseDir = process.cwd()): CloudConfig {
  const dataDir = resolve(baseDir, raw.dataDir);
  const pki = join(dataDir, "pki");
  const t = raw.cloudHub.tls;
  const kubeconfig = raw.kubernetes.kubeconfig;
  return {
    ...raw,
    dataDir,
    cloudHub: {
      ...raw.cloudHub,
      tls: {
        ca: resolve(baseDir, t.ca ?? join(pki, "ca.crt")),
        caKey: resolve(baseDir, t.caKey ?? join(pki, "ca.key")),
        cert: resolve(baseDir, t.cert ?? join(pki, "server.crt")),
        key: resolve(baseDir, t.key ?? join(pki, "server.key")),
      },
    },
    kubernetes: { ...raw.kubernetes, kubeconfig: kubeconfig === undefined ? undefined : resolve(baseDir, kubeconfig) },
    metricsApi: { ...raw.metricsApi, clientCA: raw.metricsApi.clientCA === undefined ? undefined : resolve(baseDir, raw.metricsApi.clientCA) },
  };
}
