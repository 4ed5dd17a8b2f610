/**
 * ConfigMaps, Secrets and service-account tokens for pods, asked from MetaManager (`query <ns>/<type>/<name>`, answered from its store, or
 * from the cloud when online) and cached. MetaManager forwards every change of these objects to Edged, which feeds
 * them in with {@link ObjectSource.put}, so the cache never goes stale.
 *
 * @module
 */
import type { Bus } from "../../core/index.ts";
import { buildResource, newMessage, Op, Group, Source } from "../../model/index.ts";

/** The object kinds pods reference; `serviceaccounttoken` objects are named after their pod. */
export type ObjectType = "configmap" | "secret" | "serviceaccounttoken";

/** Where queries go. */
export type ObjectSourceOptions = {
  bus: Bus;
  /** @default "metamanager" */
  metaModule?: string;
  /** @default 15000 */
  queryTimeoutMs?: number;
};

/** Outcome of a lookup: the object, or why there is none. */
export type Lookup<T> = { found: true; object: T } | { found: false; reason: string };

/** A cache of ConfigMaps and Secrets in front of MetaManager. */
export class ObjectSource {
  readonly #bus: Bus;
  readonly #meta: string;
  readonly #timeoutMs: number;
  readonly #cache = new Map<string, unknown>();

  constructor(options: ObjectSourceOptions) {
    this.#bus = options.bus;
    this.#meta = options.metaModule ?? "metamanager";
    this.#timeoutMs = options.queryTimeoutMs ?? 15_000;
  }

  /**
   * Looks an object up, asking MetaManager on a cache miss.
   *
   * @throws BusError when MetaManager does not answer in time (callers retry later)
   */
  async get<T>(ns: string, type: ObjectType, name: string, signal?: AbortSignal): Promise<Lookup<T>> {
    const key = buildResource(ns, type, name);
    if (this.#cache.has(key)) return { found: true, object: this.#cache.get(key) as T };
    const req = newMessage({ source: Source.edged, group: Group.meta, operation: Op.query, resource: key, content: null });
    const reply = await this.#bus.sendSync(this.#meta, req, { timeoutMs: this.#timeoutMs, signal });
    if (reply.route.operation === Op.error || reply.content === null || typeof reply.content !== "object") {
      return { found: false, reason: `${type} "${ns}/${name}" not found${typeof reply.content === "string" ? `: ${reply.content}` : ""}` };
    }
    this.#cache.set(key, reply.content);
    return { found: true, object: reply.content as T };
  }

  /**
   * Lists the stored objects of a type in one namespace, straight from MetaManager's store (never cached here, never
   * asked of the cloud): for Services, which are not pushed to Edged.
   *
   * @throws BusError when MetaManager does not answer in time (callers retry later)
   */
  async list(ns: string, type: string, signal?: AbortSignal): Promise<unknown[]> {
    const req = newMessage({ source: Source.edged, group: Group.meta, operation: Op.query, resource: buildResource(ns, type), content: null });
    const reply = await this.#bus.sendSync(this.#meta, req, { timeoutMs: this.#timeoutMs, signal });
    return reply.route.operation !== Op.error && Array.isArray(reply.content) ? reply.content : [];
  }

  /** Records a change pushed by MetaManager; `undefined` for a deletion. */
  put(ns: string, type: ObjectType, name: string, object: unknown): void {
    const key = buildResource(ns, type, name);
    if (object === undefined) this.#cache.delete(key);
    else this.#cache.set(key, object);
  }
}
