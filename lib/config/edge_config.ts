/**
 * The edge_core configuration (`edge.yaml`). Modules receive their own slice; `conf/edge.yaml` is the commented
 * example and the reference in README is generated from this schema (test/config keeps them in sync).
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { bool, ConfigError, duration, hostPort, type Infer, int, isNodeName, NODE_NAME_EXPECTED, nodeName, oneOf, section, str } from "./schema.ts";

/** The edge schema. Key names are part of the user contract: keep them. */
export const edgeSchema = section("edge_core configuration", {
  nodeName: nodeName("Name of this node in Kubernetes (DNS-1123 subdomain, at most 253 characters); must equal the CN of edgeHub.tls.cert. Default: the host name"),
  dataDir: str("Folder for the store, certificates and pod volumes", "/var/lib/kubeedge-ts/edge"),
  logLevel: oneOf("Lowest log level written", ["debug", "info", "warn", "error"], "info"),
  edgeHub: section("Link to cloudhub", {
    server: hostPort("host:port of cloudhub", "127.0.0.1:10000"),
    projectId: str("Project id in the link URL", "e632aba927ea4ac2b575ec1603d56f10", { max: 63, check: (v) => /^[A-Za-z0-9][-A-Za-z0-9_.]*$/.test(v), expected: "letters, digits, '-', '_' and '.'" }),
    tls: section("Client certificate issued by `cloud_core cert --node NAME`", {
      ca: str("CA certificate (PEM). Default: <dataDir>/certs/ca.crt"),
      cert: str("Node certificate (PEM, CN = nodeName). Default: <dataDir>/certs/node.crt"),
      key: str("Node private key (PEM). Default: <dataDir>/certs/node.key"),
    }),
    heartbeat: duration("Keepalive interval", "15s", { min: "1s", max: "10m" }),
    reconnectMax: duration("Longest wait between reconnect attempts (exponential backoff with jitter)", "30s", { min: "100ms", max: "1h" }),
    requestTimeout: duration("How long a query to the cloud waits for its answer", "60s", { min: "100ms", max: "1h" }),
  }),
  metaManager: section("Local metadata store", {
    podStatusSyncInterval: duration("How often all pod statuses are re-sent to the cloud", "60s", { min: "1s", max: "24h" }),
  }),
  edged: section("Pod manager", {
    enable: bool("Run pods on the container engine", true),
    dockerSocket: str("Docker Engine API unix socket", "/var/run/docker.sock"),
    nodeIP: str("IP reported as InternalIP. Default: the first non-loopback IPv4 address"),
    maxPods: int("Pods this node accepts", 110, 1, 10_000),
    statusInterval: duration("How often node status is reported", "10s", { min: "100ms", max: "1h" }),
    resourceUsageInterval: duration("How often node and container CPU and memory are measured and sent to the cloud (kubectl top)", "15s", { min: "1s", max: "10m" }),
    sandboxImage: str("Image of the pod sandbox that holds each pod's network; the default is built offline from busybox", "kubeedge-ts/busybox:latest"),
    busyboxPath: str("Static busybox (Debian busybox-static) used to build kubeedge-ts/busybox:latest when it is missing", "/bin/busybox"),
    restartBackoff: duration("First wait before restarting a crashed container; doubles per crash (CrashLoopBackOff)", "10s", { min: "10ms", max: "1h" }),
    restartBackoffMax: duration("Longest wait between restarts of a crashing container", "5m", { min: "10ms", max: "24h" }),
    concurrentSyncs: int("Pods set up or changed at the same time", 8, 1, 256),
  }),
  eventBus: section("MQTT for devices", {
    mode: oneOf("Which broker devices use", ["internal", "external", "both"], "internal"),
    internal: section("Built-in broker", {
      address: hostPort("Listen address of the internal broker", "127.0.0.1:1884"),
      username: str("User name every MQTT client must give. Unset: no authentication, any local process may connect", undefined, { max: 256 }),
      password: str("Password for eventBus.internal.username (or use passwordFile)", undefined, { max: 256 }),
      passwordFile: str("File whose first line is the password for eventBus.internal.username (instead of password)"),
      tls: section("Serve MQTT over TLS on the internal broker's address (unset: plain TCP)", {
        cert: str("Broker certificate (PEM)"),
        key: str("Broker private key (PEM)"),
        clientCA: str("CA (PEM) whose certificates clients must show; unset: no client certificates asked"),
      }),
    }),
    external: section("External broker such as mosquitto", {
      url: str("Broker URL", "tcp://127.0.0.1:1883"),
      username: str("User name for the external broker"),
      password: str("Password for the external broker"),
    }),
  }),
  metrics: section("Prometheus metrics and health endpoints (/metrics, /healthz, /readyz)", {
    enable: bool("Serve them", true),
    address: hostPort("Listen address (plain HTTP; keep it on loopback unless a scraper elsewhere needs it)", "127.0.0.1:10352"),
  }),
});

/** A validated edge configuration with paths resolved. */
export type EdgeConfig = Infer<typeof edgeSchema> & {
  nodeName: string;
  /** `eventBus.internal` with the password read from passwordFile and TLS paths resolved. */
  eventBus: { internal: { auth?: { username: string; password: string }; tlsFiles?: { cert: string; key: string; clientCA?: string } } };
  edgeHub: { tls: { ca: string; cert: string; key: string } };
};

/** The host name as a default node name. @throws ConfigError when it is not a valid node name */
function hostNodeName(host: string): string {
  const name = host.toLowerCase();
  if (!isNodeName(name)) {
    const shown = name.length > 80 ? `${JSON.stringify(name.slice(0, 80))}...` : JSON.stringify(name);
    throw new ConfigError("nodeName", `nodeName: expected ${NODE_NAME_EXPECTED}; it is not set and the host name ${shown} is not one: set nodeName`);
  }
  return name;
}

/** The internal broker's credentials: both or neither, the password given once. @throws ConfigError */
function internalAuth(internal: Infer<typeof edgeSchema>["eventBus"]["internal"], baseDir: string): { username: string; password: string } | undefined {
  const { username, password, passwordFile } = internal;
  const at = "eventBus.internal";
  if (password !== undefined && passwordFile !== undefined) {
    throw new ConfigError(`${at}.passwordFile`, `${at}.passwordFile: expected either password or passwordFile, got both`);
  }
  if (username === undefined) {
    if (password !== undefined || passwordFile !== undefined) throw new ConfigError(`${at}.username`, `${at}.username: expected a user name to go with the password, got none`);
    return undefined;
  }
  if (password !== undefined) return { username, password };
  if (passwordFile === undefined) throw new ConfigError(`${at}.password`, `${at}.password: expected password or passwordFile with username, got neither`);
  const path = resolve(baseDir, passwordFile);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(`${at}.passwordFile`, `${at}.passwordFile: expected a readable file, got ${JSON.stringify(path)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const first = text.split(/\r?\n/, 1)[0];
  if (!first || first.length > 256) throw new ConfigError(`${at}.passwordFile`, `${at}.passwordFile: expected a first line of 1 to 256 characters in ${JSON.stringify(path)}`);
  return { username, password: first };
}

/** The internal broker's TLS files, resolved: certificate and key together, a client CA only with them. @throws ConfigError */
function internalTls(tls: Infer<typeof edgeSchema>["eventBus"]["internal"]["tls"], baseDir: string): { cert: string; key: string; clientCA?: string } | undefined {
  const at = "eventBus.internal.tls";
  if (tls.cert === undefined && tls.key === undefined) {
    if (tls.clientCA !== undefined) throw new ConfigError(`${at}.cert`, `${at}.cert: expected the broker certificate and key to go with clientCA, got none`);
    return undefined;
  }
  if (tls.cert === undefined || tls.key === undefined) {
    const missing = tls.cert === undefined ? "cert" : "key";
    throw new ConfigError(`${at}.${missing}`, `${at}.${missing}: expected both cert and key, got only ${missing === "cert" ? "key" : "cert"}`);
  }
  return {
    cert: resolve(baseDir, tls.cert),
    key: resolve(baseDir, tls.key),
    clientCA: tls.clientCA === undefined ? undefined : resolve(baseDir, tls.clientCA),
  };
}

/**
 * Fills defaults that depend on other keys (node name, certificate paths under dataDir) and makes paths absolute.
 * `host` is the host name, the default node name (lower-cased).
 *
 * @throws ConfigError when nodeName is absent and the host name is not a valid node name, or the internal broker's
 *   credentials are incomplete or unreadable
 */
export function resolveEdgeConfig(raw: Infer<typeof edgeSchema>, baseDir = process.cwd(), host = hostname()): EdgeConfig {
  const dataDir = resolve(baseDir, raw.dataDir);
  const certs = join(dataDir, "certs");
  const tls = raw.edgeHub.tls;
  return {
    ...raw,
    nodeName: raw.nodeName ?? hostNodeName(host),
    dataDir,
    edgeHub: {
      ...raw.edgeHub,
      tls: {
        ca: resolve(baseDir, tls.ca ?? join(certs, "ca.crt")),
        cert: resolve(baseDir, tls.cert ?? join(certs, "node.crt")),
        key: resolve(baseDir, tls.key ?? join(certs, "node.key")),
      },
    },
    eventBus: {
      ...raw.eventBus,
      internal: { ...raw.eventBus.internal, auth: internalAuth(raw.eventBus.internal, baseDir), tlsFiles: internalTls(raw.eventBus.internal.tls, baseDir) },
    },
  };
}
