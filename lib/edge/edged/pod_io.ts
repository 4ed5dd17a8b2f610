/**
 * The edge side of `kubectl logs` and `kubectl exec`: finds a pod's container on this node by its labels and streams
 * its output, or runs a command in it over the engine's exec API. The link transport is built on top of these.
 *
 * @module
 */
import { EdgedError } from "./edged_error.ts";
import { attemptOf, Label } from "./labels.ts";
import type { ContainerRuntime, ContainerSummary, ExecSession } from "./runtime/index.ts";

/** Options of {@link PodIO.logs}, as in `kubectl logs`. */
export type PodLogOptions = {
  follow?: boolean;
  tailLines?: number;
  timestamps?: boolean;
  /** The previous attempt's output (the container that ran before the last restart). */
  previous?: boolean;
  sinceSeconds?: number;
  signal?: AbortSignal;
};

/** Options of {@link PodIO.exec}, as in `kubectl exec`. */
export type PodExecOptions = { command: string[]; stdin?: boolean; tty?: boolean; signal?: AbortSignal };

/** Logs and exec over a runtime, for the pods of one node. */
export class PodIO {
  readonly #runtime: ContainerRuntime;
  readonly #nodeName: string;

  constructor(runtime: ContainerRuntime, nodeName: string) {
    this.#runtime = runtime;
    this.#nodeName = nodeName;
  }

  /**
   * Streams a container's output (stdout and stderr interleaved, demultiplexed).
   *
   * @param container the container's name; may be "" when the pod has exactly one container
   * @throws EdgedError `EDGED_NOT_FOUND` when the pod, container or previous attempt is not on this node
   */
  async *logs(ns: string, pod: string, container: string, options: PodLogOptions = {}): AsyncIterable<Uint8Array> {
    const found = await this.#find(ns, pod, container, options.previous ?? false);
    yield* this.#runtime.logs(found.id, options);
  }

  /**
   * Runs a command in a running container.
   *
   * @throws EdgedError `EDGED_NOT_FOUND` when the container is not on this node; RuntimeError `RUNTIME_CONFLICT`
   *   when it is not running
   */
  async exec(ns: string, pod: string, container: string, options: PodExecOptions): Promise<ExecSession> {
    const found = await this.#find(ns, pod, container, false);
    return this.#runtime.exec(found.id, { command: options.command, stdin: options.stdin, tty: options.tty, signal: options.signal });
  }

  async #find(ns: string, pod: string, container: string, previous: boolean): Promise<ContainerSummary> {
    const listed = await this.#runtime.listContainers({ [Label.node]: this.#nodeName, [Label.namespace]: ns, [Label.pod]: pod });
    const apps = listed.filter((c) => c.labels[Label.role] === "app" || c.labels[Label.role] === "init");
    if (!apps.length) throw new EdgedError("EDGED_NOT_FOUND", `Cannot find pod "${ns}/${pod}" on node "${this.#nodeName}"`);
    let name = container;
    if (!name) {
      const names = [...new Set(apps.filter((c) => c.labels[Label.role] === "app").map((c) => c.labels[Label.container]))];
      if (names.length !== 1) {
        throw new EdgedError("EDGED_NOT_FOUND", `Cannot choose a container of pod "${ns}/${pod}": a container name must be given, one of [${names.join(" ")}]`);
      }
      name = names[0];
    }
    // the newest pod UID wins when a pod of the same name was recreated
    const mine = apps.filter((c) => c.labels[Label.container] === name)
      .sort((a, b) => b.createdMs - a.createdMs)
      .filter((c, _i, all) => c.labels[Label.uid] === all[0].labels[Label.uid])
      .sort((a, b) => attemptOf(b.labels) - attemptOf(a.labels));
    const pick = previous ? mine[1] : mine[0];
    if (!pick) {
      const what = previous ? `a previous attempt of container "${name}"` : `container "${name}"`;
      throw new EdgedError("EDGED_NOT_FOUND", `Cannot find ${what} in pod "${ns}/${pod}" on node "${this.#nodeName}"`);
    }
    return pick;
  }
}
