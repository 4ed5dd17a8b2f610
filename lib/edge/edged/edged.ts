/**
 * The Edged module: runs this node's pods on the container engine from what MetaManager stores, reports pod and node
 * status, and serves logs and exec for `kubectl`.
 *
 * @module
 */
import type { Module, ModuleContext } from "../../core/index.ts";
import { ModuleName } from "../../model/index.ts";
import { EDGED_DEFAULTS, type EdgedOptions, type ResolvedEdgedOptions } from "./edged_options.ts";
import { type EdgedStats, runEdged } from "./edged_run.ts";
import { PodIO, type PodExecOptions, type PodLogOptions } from "./pod_io.ts";
import { type ContainerRuntime, DockerRuntime, type ExecSession } from "./runtime/index.ts";

/**
 * Edged. Consumes pod, configmap and secret insert/update/delete from MetaManager and hub link events; emits to
 * MetaManager `update <ns>/podstatus/<pod>`, `update default/nodestatus/<node>`, `delete <ns>/pod/<pod>` (deletion
 * done) and `query` for stored pods and referenced objects.
 *
 * @example In an edge_core module list
 * ```ts
 * bus.register(new Edged({ nodeName: "edge-1", dataDir: "/var/lib/kubeedge-ts/edge" }));
 * ```
 */
export class Edged implements Module {
  readonly name = ModuleName.edged;
  readonly group = "edged";
  readonly stats: EdgedStats = { handled: 0, unknown: 0, phases: new Map(), linkUp: false };
  readonly #opts: ResolvedEdgedOptions;
  readonly #runtime: ContainerRuntime;
  readonly #io: PodIO;

  constructor(options: EdgedOptions) {
    this.#opts = { ...EDGED_DEFAULTS, ...options };
    this.#runtime = options.runtime ?? new DockerRuntime({ socketPath: this.#opts.dockerSocket });
    this.#io = new PodIO(this.#runtime, this.#opts.nodeName);
  }

  async start(ctx: ModuleContext): Promise<void> {
    await runEdged(this.#opts, this.#runtime, ctx, this.stats);
  }

  async stop(): Promise<void> {
    if (!this.#opts.runtime) await this.#runtime.close();
  }

  /** True when the container engine answers now; otherwise why not (for readiness probes). */
  async runtimeReady(): Promise<true | string> {
    try {
      await this.#runtime.version(AbortSignal.timeout(2000));
      return true;
    } catch (e) {
      return `container runtime at ${this.#opts.dockerSocket} does not answer: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  /**
   * A container's output, for `kubectl logs`.
   *
   * @param container the container name ("" when the pod has one container)
   * @throws EdgedError `EDGED_NOT_FOUND`
   */
  podLogs(ns: string, pod: string, container: string, options: PodLogOptions = {}): AsyncIterable<Uint8Array> {
    return this.#io.logs(ns, pod, container, options);
  }

  /**
   * Runs a command in a container, for `kubectl exec`.
   *
   * @throws EdgedError `EDGED_NOT_FOUND`; RuntimeError `RUNTIME_CONFLICT` when the container is not running
   */
  podExec(ns: string, pod: string, container: string, options: PodExecOptions): Promise<ExecSession> {
    return this.#io.exec(ns, pod, container, options);
  }
}
