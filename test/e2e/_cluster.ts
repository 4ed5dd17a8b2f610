/**
 * A whole kubeedge-ts installation for end-to-end tests, run the way a user runs it: `cloud_core` and `edge_core` as
 * processes started from their entry points with YAML configs in a temp folder, random free ports for cloudhub, the
 * embedded API and the edge's MQTT broker, the node certificate issued by `cloud_core cert`, and real kubectl on the
 * admin kubeconfig the cloud writes.
 *
 * Each process is started with `--log-level debug`; its whole output stays in memory and `dumpLogs()` writes every
 * run's output to the temp folder, so a failed step can be read line by line.
 *
 * @module
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kubectl, type KubectlEnv, type KubectlOptions, type KubectlResult } from "../support/kubectl.ts";
import { freePort } from "../support/mosquitto.ts";
import { type Background, runToEnd, startBackground, tsArgs } from "../support/process.ts";

/** How the installation is set up. */
export type ClusterOptions = {
  /** Docker Engine API socket edge_core uses. */
  dockerSocket: string;
  /** Name of the edge node (also the CN of its certificate). */
  nodeName: string;
  /** Longest wait between edgehub's reconnect attempts. @default "2s" */
  reconnectMax?: string;
  /** edged.resourceUsageInterval (kubectl top readings). @default "15s" (edge_core's default) */
  resourceUsageInterval?: string;
  /** How long a start may take until its "started" line. @default 60000 */
  startTimeoutMs?: number;
};

/** A running (or stopped) installation. */
export type E2eCluster = {
  dir: string;
  nodeName: string;
  ports: { cloudHub: number; api: number; mqtt: number; cloudMetrics: number; edgeMetrics: number };
  /** kubectl's kubeconfig (written by cloud_core) and HOME. */
  env: KubectlEnv;
  cloud(): Background | undefined;
  edge(): Background | undefined;
  /** Starts cloud_core and waits for its "cloud_core started" line; returns when it was printed. */
  startCloud(): Promise<number>;
  /** Starts edge_core and waits for its "edge_core started" line. */
  startEdge(): Promise<void>;
  /** Issues the node certificate into the edge's certs folder with `cloud_core cert`. */
  issueCert(): Promise<void>;
  stopCloud(signal: NodeJS.Signals): Promise<void>;
  stopEdge(signal: NodeJS.Signals): Promise<void>;
  kubectl(args: string[], options?: KubectlOptions): Promise<KubectlResult>;
  /** Writes the output of every process run so far to `<dir>/logs/` and returns that folder. */
  dumpLogs(): string;
  /** Stops what still runs (SIGTERM, then SIGKILL) and removes the temp folder unless `keep`. */
  close(keep: boolean): Promise<void>;
};

const DEFAULTS = { reconnectMax: "2s", startTimeoutMs: 60_000 };
const STOP_TIMEOUT_MS = 15_000;
const CERT_TIMEOUT_MS = 30_000;

/** Writes the configs of a new installation in a temp folder; nothing runs yet. */
export async function createCluster(options: ClusterOptions): Promise<E2eCluster> {
  const o = { ...DEFAULTS, ...options };
  const dir = mkdtempSync(join(tmpdir(), "kubeedge-e2e-"));
  const ports = { cloudHub: await freePort(), api: await freePort(), mqtt: await freePort(), cloudMetrics: await freePort(), edgeMetrics: await freePort() };
  const cloudYaml = join(dir, "cloud.yaml");
  const edgeYaml = join(dir, "edge.yaml");
  writeFileSync(cloudYaml, [
    "dataDir: cloud",
    "cloudHub:",
    `  address: 127.0.0.1:${ports.cloudHub}`,
    "apiserver:",
    `  address: 127.0.0.1:${ports.api}`,
    "metrics:",
    `  address: 127.0.0.1:${ports.cloudMetrics}`,
    "",
  ].join("\n"));
  writeFileSync(edgeYaml, [
    `nodeName: ${o.nodeName}`,
    "dataDir: edge",
    "edgeHub:",
    `  server: 127.0.0.1:${ports.cloudHub}`,
    `  reconnectMax: ${o.reconnectMax}`,
    "edged:",
    "  enable: true",
    `  dockerSocket: ${o.dockerSocket}`,
    ...(o.resourceUsageInterval ? [`  resourceUsageInterval: ${o.resourceUsageInterval}`] : []),
    "eventBus:",
    "  mode: internal",
    "  internal:",
    `    address: 127.0.0.1:${ports.mqtt}`,
    "metrics:",
    `  address: 127.0.0.1:${ports.edgeMetrics}`,
    "",
  ].join("\n"));
  const env: KubectlEnv = { kubeconfig: join(dir, "cloud", "kubeconfig"), home: join(dir, "home") };
  mkdirSync(env.home, { recursive: true });

  // every run of each process, in start order, so the logs of a killed run are kept
  const runs: { name: string; proc: Background }[] = [];
  let cloud: Background | undefined;
  let edge: Background | undefined;
  const start = async (name: string, file: string, config: string, ready: RegExp): Promise<Background> => {
    const proc = startBackground(...tsArgs(file, "--config", config, "--log-level", "debug"));
    runs.push({ name, proc });
    await proc.waitFor(ready, o.startTimeoutMs);
    return proc;
  };
  const stop = async (proc: Background | undefined, signal: NodeJS.Signals) => {
    if (!proc) return;
    const timer = setTimeout(() => proc.child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await proc.kill(signal);
    clearTimeout(timer);
  };

  const cluster: E2eCluster = {
    dir,
    nodeName: o.nodeName,
    ports,
    env,
    cloud: () => cloud,
    edge: () => edge,
    async startCloud() {
      cloud = await start("cloud_core", "cmd/cloud_core.ts", cloudYaml, /cloud_core started/);
      return Date.now();
    },
    async startEdge() {
      edge = await start("edge_core", "cmd/edge_core.ts", edgeYaml, /edge_core started/);
    },
    async issueCert() {
      const r = await runToEnd(...tsArgs("cmd/cloud_core.ts", "cert", "--node", o.nodeName, "--out", join(dir, "edge", "certs"), "--config", cloudYaml), { timeoutMs: CERT_TIMEOUT_MS });
      if (r.code !== 0) throw new Error(`cloud_core cert exited ${r.code}: ${r.stderr.trim()}`);
    },
    async stopCloud(signal) {
      await stop(cloud, signal);
      cloud = undefined;
    },
    async stopEdge(signal) {
      await stop(edge, signal);
      edge = undefined;
    },
    kubectl: (args, options) => kubectl(env, args, options),
    dumpLogs() {
      const logs = join(dir, "logs");
      mkdirSync(logs, { recursive: true });
      runs.forEach((r, i) => writeFileSync(join(logs, `${String(i + 1).padStart(2, "0")}_${r.name}.log`), r.proc.output()));
      return logs;
    },
    async close(keep) {
      await stop(edge, "SIGTERM");
      await stop(cloud, "SIGTERM");
      edge = cloud = undefined;
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}
