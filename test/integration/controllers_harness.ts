/**
 * A small cluster for the controllers' behaviour suites: the embedded API server (real HTTPS, real store), the
 * controllers module running against it through client-node, nodes created through the API whose heartbeats the test
 * drives, and a stand-in kubelet that marks bound pods Running and Ready and confirms pod deletions, so rollouts
 * progress without containers.
 *
 * @module
 */
import {
  CoordinationV1Api, CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions, type V1Pod, type V1Taint,
} from "@kubernetes/client-node";
import { BoundedQueue, type ModuleContext } from "../../lib/core/index.ts";
import { Controllers, type ControllersOptions } from "../../lib/cloud/controllers/index.ts";
import { Informer } from "../../lib/cloud/controllers/informer.ts";
import { createLogger } from "../../lib/log/index.ts";
import type { Message } from "../../lib/model/index.ts";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.ts";
import type { KubectlResult } from "../support/kubectl.ts";

/** A node to create. */
export type TestNode = {
  name: string;
  labels?: Record<string, string>;
  taints?: V1Taint[];
  /** Allocatable pods. @default "110" */
  pods?: string;
  cpu?: string;
  memory?: string;
  /** What the test renews: status and Lease, only the Lease, or nothing. @default "full" */
  heartbeat?: "full" | "lease" | "none";
};

/** The running cluster. */
export type TestCluster = {
  server: TestApiServer;
  kc: KubeConfig;
  core: CoreV1Api;
  kubectl(args: string[], stdin?: string): Promise<KubectlResult>;
  /** Runs kubectl and fails with its output unless it exits 0. @returns stdout */
  kubectlOk(args: string[], stdin?: string): Promise<string>;
  addNode(node: TestNode): Promise<void>;
  /** Stops renewing the node's heartbeat (status and Lease). */
  silence(name: string): void;
  /** Renews the node's heartbeat again, with Ready=True. */
  revive(name: string): Promise<void>;
  /** Pods of a namespace (live list). */
  pods(namespace?: string, labelSelector?: string): Promise<V1Pod[]>;
  close(): Promise<void>;
};

const HEARTBEAT_MS = 500;
const MERGE = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

/** Options of the test cluster besides the controllers' own. */
export type TestClusterOptions = Partial<ControllersOptions> & {
  /** How long the stand-in kubelet takes to stop a deleted pod's containers. @default 0 */
  kubeletStopDelayMs?: number;
};

/** Starts the API server, the controllers and the stand-in kubelet. */
export async function startTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  const server = await startTestApiServer({ podDeletionTimeoutMs: 2000 });
  const kc = new KubeConfig();
  kc.loadFromFile(server.env.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const coord = kc.makeApiClient(CoordinationV1Api);
  const level = process.env.TEST_LOG === "debug" ? "debug" : "warn";
  const log = createLogger("controllers", { level });
  const { kubeletStopDelayMs = 0, ...controllerOptions } = options;
  const controllers = new Controllers({ kubeConfig: kc, log, ...controllerOptions });
  const abort = new AbortController();
  const inbox = new BoundedQueue<Message>(16);
  await controllers.init();
  const running = controllers.start({ bus: undefined as never, log, signal: abort.signal, inbox } satisfies ModuleContext);

  const live = new Set<string>();
  const leaseOnly = new Set<string>();
  const kubelet = startKubelet(kc, core, live, kubeletStopDelayMs, createLogger("kubelet", { level }));
  const beat = async (name: string, withStatus = true) => {
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    if (withStatus) await core.patchNodeStatus({
      name,
      body: { status: { conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status", lastHeartbeatTime: now, lastTransitionTime: now }] } },
    }, MERGE);
    const renewTime = new Date().toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
    try {
      await coord.patchNamespacedLease({ name, namespace: "kube-node-lease", body: { spec: { renewTime } } }, MERGE);
    } catch {
      await coord.createNamespacedLease({
        namespace: "kube-node-lease",
        body: { metadata: { name, namespace: "kube-node-lease" }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: renewTime as unknown as Date } },
      }).catch(() => undefined);
    }
  };
  const heartbeats = setInterval(() => {
    for (const name of live) beat(name, !leaseOnly.has(name)).catch(() => undefined);
  }, HEARTBEAT_MS);

  const cluster: TestCluster = {
    server, kc, core,
    kubectl: (args, stdin) => server.kubectl(args, { stdin, timeoutMs: 60_000 }),
    async kubectlOk(args, stdin) {
      const r = await server.kubectl(args, { stdin, timeoutMs: 60_000 });
      if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}): ${r.stderr}${r.stdout}`);
      return r.stdout;
    },
    async addNode(n) {
      const resources = { pods: n.pods ?? "110", ...(n.cpu ? { cpu: n.cpu } : {}), ...(n.memory ? { memory: n.memory } : {}) };
      await core.createNode({
        body: {
          apiVersion: "v1", kind: "Node",
          metadata: { name: n.name, labels: { "kubernetes.io/hostname": n.name, ...n.labels } },
          spec: { taints: n.taints },
          status: { capacity: resources, allocatable: resources },
        },
      });
      await beat(n.name);
      if (n.heartbeat !== "none") live.add(n.name);
      if (n.heartbeat === "lease") leaseOnly.add(n.name);
    },
    silence(name) {
      live.delete(name);
    },
    async revive(name) {
      live.add(name);
      leaseOnly.delete(name);
      await beat(name);
    },
    async pods(namespace = "default", labelSelector) {
      return (await core.listNamespacedPod({ namespace, labelSelector })).items;
    },
    async close() {
      clearInterval(heartbeats);
      abort.abort();
      await running;
      await controllers.stop();
      await kubelet.stop();
      await server.close();
    },
  };
  return cluster;
}


/** The stand-in kubelet: runs (marks Running+Ready) pods bound to live nodes and confirms deletions. */
function startKubelet(kc: KubeConfig, core: CoreV1Api, live: Set<string>, stopDelayMs: number, log: ReturnType<typeof createLogger>): { stop(): Promise<void> } {
  const pods = new Informer<V1Pod>(kc, { path: "/api/v1/pods", apiVersion: "v1", kind: "Pod", list: () => core.listPodForAllNamespaces() }, log);
  const busy = new Set<string>();
  const handle = (pod: V1Pod) => {
    const node = pod.spec?.nodeName;
    const key = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    if (!node || !live.has(node) || busy.has(key)) return;
    const ns = pod.metadata!.namespace!, name = pod.metadata!.name!;
    let job: Promise<unknown> | undefined;
    if (pod.metadata?.deletionTimestamp) {
      const uid = pod.metadata.uid;
      job = new Promise((r) => setTimeout(r, stopDelayMs))
        .then(() => core.deleteNamespacedPod({ name, namespace: ns, gracePeriodSeconds: 0, body: { gracePeriodSeconds: 0, preconditions: { uid } } }));
    } else if (pod.status?.phase !== "Running") {
      const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
      const cond = (type: string) => ({ type, status: "True", lastProbeTime: null, lastTransitionTime: now });
      job = core.patchNamespacedPodStatus({
        name, namespace: ns,
        body: {
          status: {
            phase: "Running", hostIP: "10.0.0.1", podIP: "10.1.0.1", startTime: now,
            conditions: [cond("PodReadyToStartContainers"), cond("Initialized"), cond("Ready"), cond("ContainersReady"), cond("PodScheduled")],
            containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
              name: c.name, image: c.image, imageID: "", ready: true, started: true, restartCount: 0, state: { running: { startedAt: now } },
            })),
          },
        },
      }, MERGE);
    }
    if (!job) return;
    busy.add(key);
    job.catch(() => undefined).finally(() => busy.delete(key));
  };
  pods.subscribe({ add: handle, update: handle });
  const timer = setInterval(() => {
    for (const p of pods.list()) handle(p);
  }, 300);
  const started = pods.start();
  return {
    async stop() {
      clearInterval(timer);
      await started.catch(() => undefined);
      await pods.stop();
    },
  };
}
