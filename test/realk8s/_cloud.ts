/**
 * kubeedge-ts against the real control plane of `test/support/realk8s.ts`, set up the way README's "cloud_core in a
 * real cluster" tells a user to: `kubectl apply -f conf/crds/ -f conf/kubernetes/` as the admin, a token for the
 * `kubeedge-ts/cloudcore` ServiceAccount (`kubectl create token`), a kubeconfig with that token (not the admin's), and
 * cloud_core started with `kubernetes.kubeconfig` pointing at it; edge_core processes get their certificates from
 * `cloud_core cert`. Everything runs from the entry points under tsx, on free ports of 127.0.0.1.
 *
 * Node names carry the test process's pid so test files sharing the control plane keep out of each other's way;
 * `close()` deletes the nodes and namespaces a test made.
 *
 * @module
 */
import { test } from "uvu";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kubectl, type KubectlEnv, type KubectlOptions, type KubectlResult } from "../support/kubectl.ts";
import { type Background, freePort, ROOT, runToEnd, startBackground, tsArgs, waitUntil } from "../support/process.ts";
import { type RealK8s, useRealK8s } from "../support/realk8s.ts";

/** Namespace and ServiceAccount of conf/kubernetes/. */
export const CLOUD_NS = "kubeedge-ts";
const CLOUD_SA = "cloudcore";
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/** How an edge_core is set up. */
export type EdgeOptions = {
  /** Docker Engine API socket; without it edged is off (no node status, no pods). */
  dockerSocket?: string;
  /** edged.statusInterval. @default "2s" */
  statusInterval?: string;
};

/** One edge_core of the installation. */
export type RealEdge = {
  name: string;
  dir: string;
  /** Port of the edge's internal MQTT broker. */
  mqttPort: number;
  proc(): Background | undefined;
  /** Starts edge_core and waits for its "connected to cloud" line. */
  start(): Promise<void>;
  stop(signal: NodeJS.Signals): Promise<void>;
};

/** cloud_core and its edges against the real control plane. */
export type RealCloud = {
  k8s: RealK8s;
  dir: string;
  /** kubectl as the cluster admin (what a test checks with). */
  admin: KubectlEnv;
  /** kubectl as cloud_core's ServiceAccount (the kubeconfig cloud_core runs with). */
  cloudIdentity: KubectlEnv;
  cloudHubPort: number;
  cloud(): Background | undefined;
  startCloud(): Promise<void>;
  stopCloud(signal: NodeJS.Signals): Promise<void>;
  /** Issues a certificate for `name` (suffixed with the pid) with `cloud_core cert` and writes its edge.yaml. */
  addEdge(name: string, options?: EdgeOptions): Promise<RealEdge>;
  /** kubectl as the admin; throws with stderr when it fails. */
  kubectl(args: string[], options?: KubectlOptions): Promise<string>;
  kubectlRaw(args: string[], options?: KubectlOptions): Promise<KubectlResult>;
  /** Remembers a namespace to delete at close. */
  own(namespace: string): void;
  /** Lines of cloud_core's output (every run so far) where the API denied it something: RBAC too tight. */
  rbacDenials(): string[];
  /** Writes every process's output to `<dir>/logs/` and returns the folder. */
  dumpLogs(): string;
  /** Stops processes, deletes the test's nodes and namespaces, releases the control plane; keeps the folder if `keep`. */
  close(keep: boolean): Promise<void>;
};

async function ok(env: KubectlEnv, args: string[], options?: KubectlOptions): Promise<string> {
  const r = await kubectl(env, args, { timeoutMs: 60_000, ...options });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

/**
 * Applies conf/crds/ and conf/kubernetes/ as the admin (idempotent: every test file does it) and waits until the
 * CRDs are Established.
 */
export async function installConf(admin: KubectlEnv): Promise<string> {
  // two test files applying at the same instant can meet a conflict on the same object: apply again
  let out = "";
  await waitUntil(async () => {
    const r = await kubectl(admin, ["apply", "-f", join(ROOT, "conf/crds/"), "-f", join(ROOT, "conf/kubernetes/")], { timeoutMs: 60_000 });
    if (r.code !== 0) throw new Error(`kubectl apply -f conf/crds/ -f conf/kubernetes/ exited ${r.code}: ${r.stderr.trim()}`);
    out = r.stdout;
    return true;
  }, 60_000, "conf/crds/ and conf/kubernetes/ applied");
  await ok(admin, ["wait", "--for=condition=established", "--timeout=30s", "crd/devices.devices.kubeedge.io", "crd/devicemodels.devices.kubeedge.io"]);
  return out;
}

/** A kubeconfig for `server` that authenticates with `token` and trusts the cluster CA in `caFile`. */
export function tokenKubeconfig(server: string, caFile: string, token: string): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "  - name: realk8s",
    "    cluster:",
    `      server: ${server}`,
    `      certificate-authority: ${caFile}`,
    "users:",
    "  - name: cloudcore",
    "    user:",
    `      token: ${token}`,
    "contexts:",
    "  - name: cloudcore",
    "    context:",
    "      cluster: realk8s",
    "      user: cloudcore",
    `      namespace: ${CLOUD_NS}`,
    "current-context: cloudcore",
    "",
  ].join("\n");
}

/**
 * Sets up the installation: control plane, conf/ applied, the ServiceAccount's kubeconfig and cloud.yaml written.
 * Nothing of kubeedge-ts runs yet.
 *
 * @param options.nodeGracePeriod cloud.yaml's edgeController.nodeGracePeriod @default "40s"
 * @returns undefined after a skip (no real control plane here)
 */
export async function createRealCloud(options: { nodeGracePeriod?: string } = {}): Promise<RealCloud | undefined> {
  const k8s = await useRealK8s();
  if (!k8s) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "kubeedge-realk8s-"));
  const home = join(dir, "home");
  mkdirSync(home, { recursive: true });
  const admin: KubectlEnv = { kubeconfig: k8s.kubeconfig, home };
  await installConf(admin);

  const token = (await ok(admin, ["-n", CLOUD_NS, "create", "token", CLOUD_SA, "--duration", "2h"])).trim();
  const cloudKubeconfig = join(dir, "cloudcore.kubeconfig");
  writeFileSync(cloudKubeconfig, tokenKubeconfig(k8s.url, join(k8s.dir, "pki/ca.crt"), token), { mode: 0o600 });
  const cloudIdentity: KubectlEnv = { kubeconfig: cloudKubeconfig, home: join(dir, "home-cloudcore") };
  mkdirSync(cloudIdentity.home, { recursive: true });

  const cloudHubPort = await freePort();
  const cloudYaml = join(dir, "cloud.yaml");
  writeFileSync(cloudYaml, [
    "dataDir: cloud",
    "cloudHub:",
    `  address: 127.0.0.1:${cloudHubPort}`,
    "kubernetes:",
    `  kubeconfig: ${cloudKubeconfig}`,
    "edgeController:",
    `  nodeGracePeriod: ${options.nodeGracePeriod ?? "40s"}`,
    "",
  ].join("\n"));

  const runs: { name: string; proc: Background }[] = [];
  const edges: RealEdge[] = [];
  const namespaces = new Set<string>();
  let cloud: Background | undefined;
  const stop = async (proc: Background | undefined, signal: NodeJS.Signals) => {
    if (!proc) return;
    const timer = setTimeout(() => proc.child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await proc.kill(signal);
    clearTimeout(timer);
  };

  const rc: RealCloud = {
    k8s, dir, admin, cloudIdentity, cloudHubPort,
    cloud: () => cloud,
    async startCloud() {
      const proc = startBackground(...tsArgs("cmd/cloud_core.ts", "--config", cloudYaml, "--log-level", "debug"));
      runs.push({ name: "cloud_core", proc });
      cloud = proc;
      await proc.waitFor(/cloud_core started/, START_TIMEOUT_MS);
    },
    async stopCloud(signal) {
      await stop(cloud, signal);
      cloud = undefined;
    },
    async addEdge(base, edgeOptions = {}) {
      const name = `${base}-${process.pid}`;
      const edgeDir = join(dir, name);
      const cert = await runToEnd(...tsArgs("cmd/cloud_core.ts", "cert", "--node", name, "--out", join(edgeDir, "certs"), "--config", cloudYaml), { timeoutMs: 30_000 });
      if (cert.code !== 0) throw new Error(`cloud_core cert --node ${name} exited ${cert.code}: ${cert.stderr.trim()}`);
      const mqttPort = await freePort();
      const edgeYaml = join(edgeDir, "edge.yaml");
      writeFileSync(edgeYaml, [
        `nodeName: ${name}`,
        `dataDir: ${edgeDir}`,
        "edgeHub:",
        `  server: 127.0.0.1:${cloudHubPort}`,
        "  heartbeat: 2s",
        "  reconnectMax: 1s",
        "edged:",
        `  enable: ${edgeOptions.dockerSocket ? "true" : "false"}`,
        ...(edgeOptions.dockerSocket ? [`  dockerSocket: ${edgeOptions.dockerSocket}`, "  nodeIP: 127.0.0.1", `  statusInterval: ${edgeOptions.statusInterval ?? "2s"}`] : []),
        "eventBus:",
        "  mode: internal",
        "  internal:",
        `    address: 127.0.0.1:${mqttPort}`,
        "",
      ].join("\n"));
      let proc: Background | undefined;
      const edge: RealEdge = {
        name, dir: edgeDir, mqttPort,
        proc: () => proc,
        async start() {
          proc = startBackground(...tsArgs("cmd/edge_core.ts", "--config", edgeYaml, "--log-level", "debug"));
          runs.push({ name, proc });
          await proc.waitFor(/connected to cloud/, START_TIMEOUT_MS);
        },
        async stop(signal) {
          await stop(proc, signal);
          proc = undefined;
        },
      };
      edges.push(edge);
      return edge;
    },
    kubectl: (args, o) => ok(admin, args, o),
    kubectlRaw: (args, o) => kubectl(admin, args, { timeoutMs: 60_000, ...o }),
    own: (ns) => void namespaces.add(ns),
    rbacDenials: () => runs.filter((r) => r.name === "cloud_core").flatMap((r) => r.proc.output().split("\n")).filter((l) => /forbidden|\b403\b/i.test(l))
      // not a denial: another test file deleted its namespace while this cloud still wrote an Event there
      .filter((l) => !/NamespaceTerminating|because it is being terminated/.test(l)),
    dumpLogs() {
      const logs = join(dir, "logs");
      mkdirSync(logs, { recursive: true });
      runs.forEach((r, i) => writeFileSync(join(logs, `${String(i + 1).padStart(2, "0")}_${r.name}.log`), r.proc.output()));
      return logs;
    },
    async close(keep) {
      for (const e of edges) await e.stop("SIGTERM");
      await stop(cloud, "SIGTERM");
      cloud = undefined;
      if (edges.length) await kubectl(admin, ["delete", "node", "--ignore-not-found", "--wait=false", ...edges.map((e) => e.name)]);
      for (const e of edges) await kubectl(admin, ["-n", "kube-node-lease", "delete", "lease", "--ignore-not-found", e.name]);
      if (namespaces.size) await kubectl(admin, ["delete", "namespace", "--ignore-not-found", "--wait=false", ...namespaces]);
      await k8s.release();
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
  return rc;
}

/** The Ready condition of a Node or Pod as kubectl printed it. */
export function readyOf(o: { status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } } | undefined) {
  return o?.status?.conditions?.find((c) => c.type === "Ready");
}

/**
 * A test of a file on the real control plane: fails at once with the set-up's error when set-up failed, does nothing
 * when no control plane could be had (set-up already skipped with its reason), and calls `onFail` on a failure so the
 * file keeps its logs.
 */
export function checkOn(state: () => { rc?: RealCloud; setupError?: unknown }, onFail: () => void): (name: string, fn: () => Promise<void>) => void {
  return (name, fn) =>
    test(name, async () => {
      const { rc, setupError } = state();
      if (setupError) throw setupError;
      if (!rc) return;
      try {
        await fn();
      } catch (e) {
        onFail();
        throw e;
      }
    });
}
