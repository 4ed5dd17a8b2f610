/**
 * The revocation module shell: watches the list's ConfigMap (one object, by field selector) into the shared
 * {@link RevocationView}, tells cloudhub which nodes to check, and writes revocations other modules ask for.
 * See the face (`index.ts`) for what it consumes and emits.
 *
 * @module
 */
import { CoreV1Api, type KubeConfig, ListWatch, type V1ConfigMap, Watch } from "@kubernetes/client-node";
import type { Module, ModuleContext } from "../../core/index.ts";
import { createLogger, type Logger } from "../../log/index.ts";
import { Group, type Message, ModuleName, newMessage, Op } from "../../model/index.ts";
import { parseRevocations } from "./revocation_list.ts";
import { RevocationStore } from "./revocation_store.ts";
import type { RevocationView } from "./revocation_view.ts";
import { REVOKED_NODES_CONFIGMAP } from "./types.ts";

/** How long to wait before restarting a failed watch. @default 1000 ms */
const RESTART_MS = 1000;

/** What the module needs. */
export type RevocationOptions = {
  kubeConfig: KubeConfig;
  /** cloud_core's namespace (`kubernetes.namespace`), where the list's ConfigMap lives. */
  namespace: string;
  /** The view cloudhub consults at every link upgrade; this module keeps it current. */
  view: RevocationView;
  log?: Logger;
};

/** Keeps the revocation list in memory and enforces changes on live links through cloudhub. */
export class Revocation implements Module {
  readonly name = ModuleName.revocation;
  readonly group = ModuleName.revocation;
  readonly #o: RevocationOptions;
  readonly #store: RevocationStore;
  #log: Logger;
  #informer: ListWatch<V1ConfigMap> | undefined;
  #stopped = false;
  /** Set once the bus runs: tells cloudhub to check the links of these nodes. */
  #enforce: ((nodes: string[]) => void) | undefined;
  /** Nodes revoked after the first list but before the bus ran (links may have opened meanwhile). */
  #early = new Set<string>();
  /** Set once the first list is in: later changes before the bus runs go to `#early`. */
  #listed = false;

  constructor(options: RevocationOptions) {
    this.#o = options;
    this.#log = options.log ?? createLogger("revocation");
    this.#store = new RevocationStore(options.kubeConfig, { namespace: options.namespace });
  }

  /** Lists the ConfigMap before any link is served, so a revoked node is refused from the first upgrade. */
  async init(): Promise<void> {
    const { kubeConfig: kc, namespace } = this.#o;
    const core = kc.makeApiClient(CoreV1Api);
    const byName = `metadata.name=${REVOKED_NODES_CONFIGMAP}`;
    const informer = (this.#informer = new ListWatch<V1ConfigMap>(
      `/api/v1/namespaces/${namespace}/configmaps`, new Watch(kc),
      () => core.listNamespacedConfigMap({ namespace, fieldSelector: byName }), false, undefined, byName,
    ));
    informer.on("add", (cm) => this.#take(cm));
    informer.on("update", (cm) => this.#take(cm));
    informer.on("delete", () => this.#take(undefined));
    informer.on("error", (err) => {
      if (this.#stopped) return;
      this.#log.warn("revocation watch failed, restarting", { configmap: this.#store.where, error: String(err), inMs: RESTART_MS });
      setTimeout(() => {
        if (!this.#stopped) informer.start().catch((e) => this.#log.error("revocation watch restart failed", { configmap: this.#store.where, error: String(e) }));
      }, RESTART_MS).unref();
    });
    await informer.start();
    this.#listed = true;
    this.#log.info("revocation list loaded", { configmap: this.#store.where, revoked: this.#o.view.size });
  }

  async start(ctx: ModuleContext): Promise<void> {
    this.#log = ctx.log;
    this.#enforce = (nodes) => {
      for (const node of nodes) {
        const msg = newMessage({ source: ModuleName.revocation, group: Group.revocation, operation: Op.update, resource: `node/${node}`, content: null });
        if (!ctx.bus.trySend(ModuleName.cloudHub, msg)) {
          ctx.bus.send(ModuleName.cloudHub, msg, ctx.signal).catch((e) => this.#log.warn("cannot tell cloudhub of a revocation", { node, error: String(e) }));
        }
      }
    };
    // revocations that arrived before the bus ran may concern links opened since
    this.#enforce([...this.#early]);
    this.#early.clear();
    for await (const msg of ctx.inbox) await this.#handle(msg);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#informer?.stop();
  }

  /** `insert revocation node/<name>` (content: `{reason}`), from EdgeController when an edge Node is deleted. */
  async #handle(msg: Message): Promise<void> {
    const node = msg.route.resource.replace(/^node\//, "");
    if (msg.route.group !== Group.revocation || msg.route.operation !== Op.insert || !node) {
      this.#log.debug("unknown message, skipped", { source: msg.route.source, operation: msg.route.operation, resource: msg.route.resource.slice(0, 300) });
      return;
    }
    const content = msg.content as { reason?: unknown } | null;
    const reason = typeof content?.reason === "string" ? content.reason : "revoked";
    try {
      const { entry, evicted } = await this.#store.revoke(node, reason);
      this.#log.info("node revoked", { node, reason, revokedAt: new Date(entry.revokedAtMs).toISOString(), source: msg.route.source });
      if (evicted.length) this.#log.warn("revocation list full: oldest entries dropped", { configmap: this.#store.where, evicted: evicted.slice(0, 20).join(","), count: evicted.length });
    } catch (e) {
      this.#log.error("cannot revoke node", { node, reason, error: e instanceof Error ? e.message : String(e) });
    }
  }

  /** A new version of the ConfigMap (or its deletion): the view follows, cloudhub checks whom it concerns. */
  #take(cm: V1ConfigMap | undefined): void {
    const { entries, skipped } = parseRevocations(cm?.data, Date.now());
    if (skipped.length) {
      this.#log.warn("revocation entries skipped", { configmap: this.#store.where, count: skipped.length, first: skipped.slice(0, 3).map((s) => `${s.key}: ${s.why}`).join("; ") });
    }
    const changed = this.#o.view.replace(entries);
    if (changed.length) this.#log.info("revocation list changed", { revoked: entries.size, changed: changed.slice(0, 20).join(",") });
    if (this.#enforce) this.#enforce(changed);
    else if (this.#listed) for (const n of changed) this.#early.add(n);
  }
}
