/**
 * Event expiry for the embedded API: a real kube-apiserver stores Events with a TTL (`--event-ttl`, one hour by
 * default), so what nodes and controllers record does not pile up. This sweeper gives the embedded API the same
 * bound: every period it lists Events page by page and deletes those last seen more than the TTL ago.
 *
 * @module
 */
import type { CoreV1Event } from "@kubernetes/client-node";
import { containedInterval } from "../../core/index.ts";
import type { Logger } from "../../log/index.ts";
import { withDefaults } from "./_defaults.ts";
import { type KubeApis, messageOf, statusOf } from "./_kube_apis.ts";
import { timeMs } from "./_time.ts";

/** Options of {@link EventTtlController}. */
export type EventTtlControllerOptions = {
  apis: KubeApis;
  log: Logger;
  /** Events last seen longer ago than this are deleted. @default 3600000 (ms, the kube-apiserver default) */
  ttlMs?: number;
  /** How often to sweep. @default 60000 (ms) */
  periodMs?: number;
};

/** Events per list page. @default 500 */
const PAGE = 500;

/** The time an Event was last seen: lastTimestamp, eventTime, series, then creation. */
function lastSeenMs(ev: CoreV1Event): number | undefined {
  const e = ev as CoreV1Event & { series?: { lastObservedTime?: string } };
  return timeMs(e.lastTimestamp as unknown as string) ?? timeMs(e.series?.lastObservedTime) ?? timeMs(e.eventTime as unknown as string)
    ?? timeMs(e.metadata?.creationTimestamp as unknown as string);
}

/** Deletes expired Events. */
export class EventTtlController {
  readonly #o: Required<EventTtlControllerOptions>;
  #timer?: ReturnType<typeof setInterval>;
  #sweeping = false;
  /** Events deleted so far. */
  deleted = 0;

  constructor(options: EventTtlControllerOptions) {
    this.#o = withDefaults({ ttlMs: 3_600_000, periodMs: 60_000 }, options);
  }

  /** Starts sweeping every period. */
  start(): void {
    this.#timer = containedInterval(() => this.sweep(), this.#o.periodMs, { log: this.#o.log, what: "event TTL sweep" });
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** One sweep; a sweep still running makes this one a no-op. @returns how many Events it deleted */
  async sweep(nowMs = Date.now()): Promise<number> {
    if (this.#sweeping) return 0;
    this.#sweeping = true;
    let deleted = 0;
    try {
      let cont: string | undefined;
      do {
        const page = await this.#o.apis.core.listEventForAllNamespaces({ limit: PAGE, _continue: cont });
        for (const ev of page.items) {
          const seen = lastSeenMs(ev);
          if (seen === undefined || nowMs - seen <= this.#o.ttlMs) continue;
          try {
            await this.#o.apis.core.deleteNamespacedEvent({ name: ev.metadata!.name!, namespace: ev.metadata!.namespace! });
            deleted++;
          } catch (e) {
            if (statusOf(e) !== 404) this.#o.log.warn("cannot delete expired event", { event: `${ev.metadata?.namespace}/${ev.metadata?.name}`, error: messageOf(e) });
          }
        }
        cont = page.metadata?._continue || undefined;
      } while (cont);
    } finally {
      this.#sweeping = false;
    }
    this.deleted += deleted;
    if (deleted) this.#o.log.info("expired events deleted", { deleted, ttlSeconds: this.#o.ttlMs / 1000 });
    return deleted;
  }
}
