/**
 * One shared list+watch cache of a kind, wrapping client-node's ListWatch: objects are kept as plain JSON (list
 * items go through the typed models, so they are turned back into JSON like watch objects), carry their kind and
 * apiVersion, and update handlers get the previous object too. A watch that fails is restarted.
 *
 * @module
 */
import { type KubeConfig, type KubernetesListObject, type KubernetesObject, ListWatch, Watch } from "@kubernetes/client-node";
import { contain } from "../../core/index.ts";
import type { Logger } from "../../log/index.ts";

/** Handlers of one consumer; `update` gets the object before the change. */
export type InformerHandlers<T> = {
  add?(obj: T): void;
  update?(obj: T, old: T): void;
  delete?(obj: T): void;
};

/** What an informer is built from. */
export type InformerSpec<T extends KubernetesObject> = {
  /** Collection path to watch, e.g. `/api/v1/pods`. */
  path: string;
  apiVersion: string;
  kind: string;
  list(): Promise<KubernetesListObject<T>>;
};

/** How long to wait before restarting a failed watch. @default 1000 */
const RESTART_MS = 1000;

/** `namespace/name`, or `name` for a cluster-scoped object: the work-queue key of an object. */
export function objectKey(obj: KubernetesObject): string {
  const ns = obj.metadata?.namespace;
  return ns ? `${ns}/${obj.metadata?.name}` : String(obj.metadata?.name);
}

/** A shared cache of one kind. */
export class Informer<T extends KubernetesObject> {
  readonly kind: string;
  readonly #lw: ListWatch<T>;
  readonly #handlers = new Set<InformerHandlers<T>>();
  // The cache before each event, so update handlers can compare (ListWatch replaces the object before calling back).
  readonly #previous = new Map<string, T>();
  readonly #log: Logger;
  #stopped = false;
  #listed = false;
  #lastError: unknown;

  constructor(kc: KubeConfig, spec: InformerSpec<T>, log: Logger) {
    this.kind = spec.kind;
    this.#log = log;
    const stamp = (obj: T): T => {
      obj.apiVersion ??= spec.apiVersion;
      obj.kind ??= spec.kind;
      return obj;
    };
    const list = async () => {
      const result = await spec.list();
      this.#listed = true;
      // JSON round trip: Date fields become strings, as in watch events, so both sources read the same.
      const items = (JSON.parse(JSON.stringify(result.items)) as T[]).map(stamp);
      return { ...result, items };
    };
    this.#lw = new ListWatch<T>(spec.path, new Watch(kc), list, false);
    // A handler that throws on a stored object it cannot read would otherwise stop the other handlers of the
    // event, or (during a list) the informer itself and the process: each call is contained on its own.
    const call = (event: string, obj: T, fn: () => void) => contain(fn, { log: this.#log, what: `${spec.kind} ${event} handler`, context: { object: objectKey(obj) } })();
    this.#lw.on("add", (obj) => {
      stamp(obj);
      this.#previous.set(objectKey(obj), obj);
      for (const h of this.#handlers) if (h.add) call("add", obj, () => h.add!(obj));
    });
    this.#lw.on("update", (obj) => {
      stamp(obj);
      const key = objectKey(obj);
      const old = this.#previous.get(key) ?? obj;
      this.#previous.set(key, obj);
      for (const h of this.#handlers) if (h.update) call("update", obj, () => h.update!(obj, old));
    });
    this.#lw.on("delete", (obj) => {
      stamp(obj);
      this.#previous.delete(objectKey(obj));
      for (const h of this.#handlers) if (h.delete) call("delete", obj, () => h.delete!(obj));
    });
    this.#lw.on("connect", () => {
      this.#log.debug("watch started", { kind: spec.kind, resourceVersion: this.#lw.latestResourceVersion() });
    });
    // client-node 1.4 stops a ListWatch on a watch error: restart it so the cache never goes stale silently.
    this.#lw.on("error", (err) => {
      this.#lastError = err;
      if (this.#stopped || !this.#listed) return;
      this.#log.warn("watch failed, restarting", { kind: spec.kind, error: err instanceof Error ? err.message : String(err), inMs: RESTART_MS });
      setTimeout(() => {
        if (!this.#stopped) this.#lw.start().catch((e: unknown) => this.#log.error("watch restart failed", { kind: spec.kind, error: String(e) }));
      }, RESTART_MS).unref();
    });
  }

  /**
   * Lists, then watches; resolves after the first list.
   *
   * @throws Error when the first list fails (the API is unreachable or refuses the request)
   */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.#lw.start();
    if (this.#listed) return;
    this.#stopped = true;
    await this.#lw.stop();
    const why = this.#lastError instanceof Error ? this.#lastError.message : String(this.#lastError);
    throw new Error(`Cannot list ${this.kind} objects: ${why}`, { cause: this.#lastError });
  }

  /** Ends the watch; the cache keeps its last state. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#lw.stop();
  }

  /** Subscribes a consumer. @returns a function that unsubscribes it */
  subscribe(handlers: InformerHandlers<T>): () => void {
    this.#handlers.add(handlers);
    return () => this.#handlers.delete(handlers);
  }

  /** The cached object, or undefined. */
  get(name: string, namespace?: string): T | undefined {
    return this.#lw.get(name, namespace);
  }

  /** Every cached object, or those of one namespace. */
  list(namespace?: string): readonly T[] {
    return this.#lw.list(namespace);
  }
}
