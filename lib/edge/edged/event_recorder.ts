/**
 * Events the edge records about its node and its pods, as the kubelet does (Pulling, Started, BackOff, Unhealthy,
 * NodeNotReady...). Each goes to the cloud as `update <ns>/event/<name>` through MetaManager and EdgeHub, whose
 * outbox keeps reports while the link is down and sends them on reconnect.
 *
 * The same object, type, reason and message again within the dedup window is one series: it keeps its Event name and
 * is sent with count+1 and a new lastTimestamp, so the cloud updates the Event it has and the outbox keeps only the
 * latest copy. A series is sent at most once per `repeatEveryMs`: repeats in between only count, and the latest count
 * goes out when the interval is over, so one pod stuck in a back-off loop does not use up the node's rate. Sends are
 * rate-limited for the node (a token bucket); a repeat held back still counts and goes out later with its series. While offline only so many new series are started, so a node cut off for
 * days does not fill its outbox with events at the expense of pod status.
 *
 * @module
 */
import { RateLimiter } from "../../core/index.ts";
import type { Logger } from "../../log/index.ts";

/** What an event is about: the node (namespace `default`, as the kubelet records it) or one of its pods. */
export type InvolvedObject = { kind: "Node" | "Pod"; name: string; namespace: string; uid?: string; fieldPath?: string };

/** One Event as the edge sends it (the cloud fills in source and reportingComponent). */
export type EdgeEvent = {
  apiVersion: "v1";
  kind: "Event";
  metadata: { name: string; namespace: string };
  involvedObject: InvolvedObject & { apiVersion: "v1" };
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  count: number;
  firstTimestamp: string;
  lastTimestamp: string;
};

/** Counters of a recorder. */
export type EventRecorderStats = { sent: number; repeats: number; rateLimited: number; droppedOffline: number };

/** Options of {@link EventRecorder}. */
export type EventRecorderOptions = {
  /** Hands one event to the durable edge->cloud path. */
  send(event: EdgeEvent): Promise<void>;
  log: Logger;
  /** A repeat within this long joins the series. @default 600000 (10 minutes, as Kubernetes aggregates) */
  dedupWindowMs?: number;
  /** Events sent per minute, sustained. @default 60 */
  perMinute?: number;
  /** Events sent at once after a quiet period. @default 50 */
  burst?: number;
  /** New series started while offline; more are dropped until the link is back. @default 100 */
  offlineSeries?: number;
  /** Shortest time between two sends of one series. @default 30000 */
  repeatEveryMs?: number;
  /** Series remembered for counting repeats. @default 1000 */
  seriesLimit?: number;
  /** @default Date.now */
  now?: () => number;
};

/** Longest message sent; the cloud cuts at the same length. */
export const EVENT_MESSAGE_CHARS = 1024;

const DEFAULTS = { repeatEveryMs: 30_000, dedupWindowMs: 600_000, perMinute: 60, burst: 50, offlineSeries: 100, seriesLimit: 1000, now: Date.now };

type Series = { event: EdgeEvent; lastMs: number; sentMs: number; unsent: boolean };

/** Records events of one node. */
export class EventRecorder {
  /** What happened to recorded events so far. */
  readonly stats: EventRecorderStats = { sent: 0, repeats: 0, rateLimited: 0, droppedOffline: 0 };
  readonly #o: Required<EventRecorderOptions>;
  readonly #limiter: RateLimiter;
  readonly #series = new Map<string, Series>();
  #online = false;
  #offlineStarted = 0;
  #seq = 0;
  #flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: EventRecorderOptions) {
    this.#o = { ...DEFAULTS, ...options };
    this.#limiter = new RateLimiter({ perMinute: this.#o.perMinute, burst: this.#o.burst, now: this.#o.now });
  }

  /** The link to the cloud came up or went down; coming up resets the offline allowance. */
  setOnline(online: boolean): void {
    if (online && !this.#online) this.#offlineStarted = 0;
    this.#online = online;
  }

  /** Records one event. Never throws: an event is never worth failing the work it describes. */
  record(about: InvolvedObject, type: "Normal" | "Warning", reason: string, message: string): void {
    const nowMs = this.#o.now();
    const text = message.length > EVENT_MESSAGE_CHARS ? `${message.slice(0, EVENT_MESSAGE_CHARS - 3)}...` : message;
    const key = JSON.stringify([about.kind, about.namespace, about.name, about.uid ?? "", about.fieldPath ?? "", type, reason, text]);
    let s = this.#series.get(key);
    if (s && nowMs - s.lastMs <= this.#o.dedupWindowMs) {
      s.event = { ...s.event, count: s.event.count + 1, lastTimestamp: new Date(nowMs).toISOString() };
      s.lastMs = nowMs;
      this.stats.repeats++;
      // most recent last, so the oldest series is the one forgotten when the map is full
      this.#series.delete(key);
      this.#series.set(key, s);
      if (nowMs - s.sentMs < this.#o.repeatEveryMs) {
        s.unsent = true;
        this.#flushLater();
        return;
      }
    } else {
      if (!this.#online && this.#offlineStarted >= this.#o.offlineSeries) {
        this.stats.droppedOffline++;
        return;
      }
      if (!this.#online) this.#offlineStarted++;
      s = { event: this.#newEvent(about, type, reason, text, nowMs), lastMs: nowMs, sentMs: 0, unsent: true };
      this.#series.delete(key);
      this.#series.set(key, s);
      for (const k of this.#series.keys()) {
        if (this.#series.size <= this.#o.seriesLimit) break;
        this.#series.delete(k);
      }
    }
    this.#send(s, nowMs);
  }

  /** Sends the repeats held back whose interval is over (a timer calls this; tests call it with their clock). */
  flush(): void {
    const nowMs = this.#o.now();
    let waiting = false;
    for (const s of this.#series.values()) {
      if (!s.unsent) continue;
      if (nowMs - s.sentMs >= this.#o.repeatEveryMs) this.#send(s, nowMs);
      waiting ||= s.unsent;
    }
    if (waiting) this.#flushLater();
  }

  #flushLater(): void {
    if (this.#flushTimer) return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      try {
        this.flush();
      } catch (e) {
        this.#o.log.warn("cannot send held-back events", { error: e instanceof Error ? e.message : String(e) });
      }
    }, this.#o.repeatEveryMs);
    this.#flushTimer.unref?.();
  }

  #send(s: Series, nowMs: number): void {
    if (!this.#limiter.take("node")) {
      this.stats.rateLimited++;
      s.unsent = true;
      this.#flushLater();
      return;
    }
    s.unsent = false;
    s.sentMs = nowMs;
    this.stats.sent++;
    const { reason, involvedObject: about } = s.event;
    this.#o.send(s.event).catch((e: unknown) =>
      this.#o.log.debug("cannot send event", { reason, object: `${about.namespace}/${about.name}`, error: e instanceof Error ? e.message : String(e) }),
    );
  }

  #newEvent(about: InvolvedObject, type: "Normal" | "Warning", reason: string, message: string, nowMs: number): EdgeEvent {
    const at = new Date(nowMs).toISOString();
    // name: the object's, a dot, then unique for this node (the cloud accepts only names of this form)
    const name = `${about.name}.${(nowMs * 1000 + (this.#seq++ % 1000)).toString(16)}`;
    return {
      apiVersion: "v1", kind: "Event",
      metadata: { name, namespace: about.namespace },
      involvedObject: { apiVersion: "v1", ...about },
      type, reason: reason.slice(0, 128), message, count: 1, firstTimestamp: at, lastTimestamp: at,
    };
  }
}
