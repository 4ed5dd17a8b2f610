/**
 * Records Kubernetes Events for what controllers do (ScalingReplicaSet, SuccessfulCreate, Scheduled,
 * FailedScheduling), so `kubectl describe` and `kubectl get events` show them. A repeat of the same event on the same
 * object bumps its count instead of adding a new Event. Writes run in the background with a bounded backlog: an
 * event is never worth slowing or failing a reconcile, so when the backlog is full new events are dropped and counted.
 *
 * @module
 */
import { CoreV1Api, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import type { Logger } from "../../log/index.ts";
import { withDefaults } from "./_defaults.ts";
import { MERGE_PATCH, statusOf } from "./_kube_apis.ts";

/** Writes events as one component. */
export type EventRecorder = (obj: KubernetesObject, type: "Normal" | "Warning", reason: string, message: string) => void;

/** Options of {@link createEventRecorder}. */
export type EventRecorderOptions = {
  /** Event writes in flight at once. @default 8 */
  concurrency?: number;
  /** Events waiting to be written before new ones are dropped. @default 2000 */
  backlogLimit?: number;
  /** Distinct (object, reason, message) series remembered for counting repeats. @default 10000 */
  seriesLimit?: number;
  /** Counts events dropped because the backlog was full. */
  onDrop?: () => void;
  /** Stops recording: the backlog is dropped and later events are ignored. */
  signal?: AbortSignal;
};

const DEFAULTS = { concurrency: 8, backlogLimit: 2000, seriesLimit: 10_000 } as const satisfies EventRecorderOptions;

type Series = { name: string; namespace: string; count: number; created: Promise<boolean> };

/** Creates a recorder for one component (the `source.component` and `reportingComponent` of its events). */
export function createEventRecorder(kc: KubeConfig, component: string, log: Logger, options: EventRecorderOptions = {}): EventRecorder {
  const o = withDefaults(DEFAULTS, options);
  const core = kc.makeApiClient(CoreV1Api);
  const series = new Map<string, Series>();
  const backlog: (() => Promise<void>)[] = [];
  let running = 0;
  options.signal?.addEventListener("abort", () => void backlog.splice(0), { once: true });
  const pump = () => {
    while (running < o.concurrency && backlog.length) {
      const job = backlog.shift()!;
      running++;
      void job().finally(() => {
        running--;
        pump();
      });
    }
  };
  const create = async (obj: KubernetesObject, s: Series, type: string, reason: string, message: string, now: Date) => {
    const meta = obj.metadata ?? {};
    await core.createNamespacedEvent({
      namespace: s.namespace,
      body: {
        metadata: { name: s.name, namespace: s.namespace },
        involvedObject: {
          apiVersion: obj.apiVersion, kind: obj.kind, name: meta.name, namespace: meta.namespace, uid: meta.uid, resourceVersion: meta.resourceVersion,
        },
        reason, message, type, count: s.count,
        source: { component },
        reportingComponent: component,
        reportingInstance: component,
        firstTimestamp: now, lastTimestamp: now,
      },
    });
  };
  return (obj, type, reason, message) => {
    if (options.signal?.aborted) return;
    const namespace = obj.metadata?.namespace || "default";
    if (backlog.length >= o.backlogLimit) {
      o.onDrop?.();
      log.debug("event dropped: backlog full", { reason, object: `${namespace}/${obj.metadata?.name}` });
      return;
    }
    const key = `${obj.metadata?.uid}/${type}/${reason}/${message}`;
    const now = new Date();
    const known = series.get(key);
    let job: () => Promise<void>;
    if (known) {
      known.count++;
      job = async () => {
        if (!(await known.created)) return;
        try {
          await core.patchNamespacedEvent({ name: known.name, namespace, body: { count: known.count, lastTimestamp: now.toISOString() } }, MERGE_PATCH);
        } catch (e) {
          // The Event expired or was deleted: start the series again.
          if (statusOf(e) !== 404) throw e;
          known.count = 1;
          await create(obj, known, type, reason, message, now);
        }
      };
    } else {
      if (series.size >= o.seriesLimit) series.clear();
      const name = `${obj.metadata?.name}.${(now.getTime() * 1000 + Math.floor(Math.random() * 1000)).toString(16)}`;
      let settle!: (ok: boolean) => void;
      const fresh: Series = { name, namespace, count: 1, created: new Promise((r) => (settle = r)) };
      series.set(key, fresh);
      job = async () => {
        try {
          await create(obj, fresh, type, reason, message, now);
          settle(true);
        } catch (e) {
          series.delete(key);
          settle(false);
          throw e;
        }
      };
    }
    backlog.push(() =>
      job().catch((e: unknown) => log.debug("cannot record event", { reason, object: `${namespace}/${obj.metadata?.name}`, error: String(e) })),
    );
    pump();
  };
}
