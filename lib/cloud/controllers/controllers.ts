/**
 * The controllers module (name "controllers", group "controller"): the controllers a real cluster runs, for the
 * embedded Kubernetes API. They are clients of the API like their real counterparts (list+watch caches, writes
 * through the API): Deployment, ReplicaSet, scheduler, node lifecycle, garbage collection, and the Event TTL the
 * real API server applies in storage.
 *
 * @module
 */
import type { KubeConfig } from "@kubernetes/client-node";
import type { Module, ModuleContext } from "../../core/index.ts";
import { createLogger, type Logger } from "../../log/index.ts";
import { createKubeApis } from "./_kube_apis.ts";
import { pooledKubeConfig, type PooledKubeConfig } from "../pooled_kube_config.ts";
import { DeploymentController } from "./deployment_controller.ts";
import { createEventRecorder } from "./event_recorder.ts";
import { EventTtlController } from "./event_ttl_controller.ts";
import { GarbageCollector } from "./garbage_collector.ts";
import { createInformers, type Informers } from "./informers.ts";
import { NodeLifecycleController } from "./node_lifecycle_controller.ts";
import { ReplicaSetController } from "./replica_set_controller.ts";
import { Scheduler } from "./scheduler.ts";

/** Options of {@link Controllers}. */
export type ControllersOptions = {
  /** Where the API is (the embedded API's admin kubeconfig in cloud_core). */
  kubeConfig: KubeConfig;
  log?: Logger;
  /** A node whose status and Lease are not renewed for this long turns Ready=Unknown. @default 40000 (ms) */
  nodeMonitorGracePeriodMs?: number;
  /** How often node heartbeats are checked. @default 5000 (ms) */
  nodeMonitorPeriodMs?: number;
  /** Pods with this spec.schedulerName (or none) are scheduled. @default "default-scheduler" */
  schedulerName?: string;
  /** Pod bindings in flight at once. @default 32 */
  bindConcurrency?: number;
  /** Events last seen longer ago are deleted (a real kube-apiserver's `--event-ttl`). @default 3600000 (ms) */
  eventTtlMs?: number;
  /** First retry delay of an unschedulable pod, doubling up to 10 s. @default 1000 (ms) */
  podInitialBackoffMs?: number;
};

type Running = { stop(): void };

/** Runs the controllers. */
export class Controllers implements Module {
  readonly name = "controllers";
  readonly group = "controller";
  readonly #o: ControllersOptions;
  #log: Logger;
  #informers?: Informers;
  #pool?: PooledKubeConfig;

  constructor(options: ControllersOptions) {
    this.#o = options;
    this.#log = options.log ?? createLogger("controllers");
  }

  /**
   * Lists and starts watching pods, nodes, leases, Deployments and ReplicaSets.
   *
   * @throws Error when the API cannot be listed
   */
  async init(): Promise<void> {
    if (this.#informers) return;
    this.#pool ??= pooledKubeConfig(this.#o.kubeConfig);
    const informers = createInformers(this.#pool.kubeConfig, this.#log.child("informers"));
    await informers.start();
    this.#informers = informers;
  }

  /** Runs every controller until the bus stops. */
  async start(ctx: ModuleContext): Promise<void> {
    await this.init();
    const informers = this.#informers!;
    const kc = this.#pool!.kubeConfig;
    const apis = createKubeApis(kc);
    const log = this.#log;
    const stopped = new AbortController();
    const recorder = (component: string) => createEventRecorder(kc, component, log.child(component), { signal: stopped.signal });
    const running: Running[] = [
      new ReplicaSetController({ informers, apis, record: recorder("replicaset-controller"), log: log.child("replicaset") }),
      new DeploymentController({ informers, apis, record: recorder("deployment-controller"), log: log.child("deployment") }),
      new Scheduler({
        informers, apis, record: recorder("default-scheduler"), log: log.child("scheduler"),
        schedulerName: this.#o.schedulerName, bindConcurrency: this.#o.bindConcurrency, initialBackoffMs: this.#o.podInitialBackoffMs,
      }),
      new NodeLifecycleController({
        informers, apis, record: recorder("node-controller"), log: log.child("nodelifecycle"),
        gracePeriodMs: this.#o.nodeMonitorGracePeriodMs, monitorPeriodMs: this.#o.nodeMonitorPeriodMs,
      }),
      new GarbageCollector({ informers, apis, log: log.child("gc") }),
      new EventTtlController({ apis, log: log.child("eventttl"), ttlMs: this.#o.eventTtlMs }),
    ];
    for (const c of running as (Running & { start(): void })[]) c.start();
    log.info("controllers running", { nodes: informers.nodes.list().length, pods: informers.pods.list().length });
    const drain = async () => {
      // Nothing is addressed to this module; drain the inbox (group sends) until the bus closes it.
      for await (const msg of ctx.inbox) log.debug("message ignored", { operation: msg.route.operation, resource: msg.route.resource });
    };
    const aborted = new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener("abort", () => resolve(), { once: true });
    });
    try {
      await Promise.race([drain(), aborted]);
    } finally {
      stopped.abort();
      for (const c of running) c.stop();
    }
  }

  /** Stops the caches. */
  async stop(): Promise<void> {
    await this.#informers?.stop();
    this.#informers = undefined;
    this.#pool?.close();
    this.#pool = undefined;
  }
}
