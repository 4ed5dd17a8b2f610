/**
 * The watch machinery's shared half: an in-memory ring of recent change events and the fan-out to open watches
 * (`kubectl get -w`, informers). A watch may start from any resourceVersion the ring still covers; older ones get 410.
 * After a restart the ring is empty and starts at the stored resourceVersion, so a watch from before the restart
 * gets 410 and the client re-lists, as against a real apiserver whose etcd compacted.
 *
 * @module
 */
import type { ChangeEvent } from "./types.ts";

/** Receives events for one watch; `send` returns false when the watch had to close (it is then dropped). */
export type WatchSink = {
  /** Decides whether this watch wants an event (resource, namespace, selectors). */
  accepts(event: ChangeEvent): boolean;
  send(event: ChangeEvent): boolean;
};

/** Options of {@link WatchHub}. */
export type WatchHubOptions = {
  /** Events kept for resuming watches. @default 10000 (events) */
  historySize?: number;
};

const DEFAULTS = { historySize: 10_000 } as const satisfies WatchHubOptions;

/** A started watch; `stop` removes it. */
export type Subscription = { stop(): void };

/** History ring plus the set of open watches. */
export class WatchHub {
  #ring: (ChangeEvent | undefined)[];
  #start = 0;
  #count = 0;
  #floor: number;
  #latest: number;
  #sinks = new Map<WatchSink, number>();

  /**
   * @param startRv the resourceVersion the history starts after (the stored counter at startup)
   */
  constructor(startRv: number, options: WatchHubOptions = {}) {
    this.#ring = new Array(Math.max(1, options.historySize ?? DEFAULTS.historySize));
    this.#floor = startRv;
    this.#latest = startRv;
  }

  /** The resourceVersion of the last published event: every open watch has seen everything up to it. */
  get latestResourceVersion(): number {
    return this.#latest;
  }

  /** Watches from a resourceVersion below this get 410 Expired. */
  get oldestResourceVersion(): number {
    return this.#floor;
  }

  /** How many watches are open. */
  get watchCount(): number {
    return this.#sinks.size;
  }

  /** Records a committed event and hands it to every open watch that wants it. Events arrive in rv order. */
  publish(event: ChangeEvent): void {
    const size = this.#ring.length;
    if (this.#count === size) {
      this.#floor = this.#ring[this.#start]!.rv;
      this.#start = (this.#start + 1) % size;
      this.#count--;
    }
    this.#ring[(this.#start + this.#count) % size] = event;
    this.#count++;
    this.#latest = event.rv;
    for (const [sink, fromRv] of this.#sinks) {
      if (event.rv <= fromRv || !sink.accepts(event)) continue;
      if (!sink.send(event)) this.#sinks.delete(sink);
    }
  }

  /**
   * Starts a watch: replays the history after `fromRv`, then streams new events.
   *
   * @param fromRv events with a higher resourceVersion are delivered
   * @returns the subscription, or "expired" when the history no longer reaches back to `fromRv`
   */
  subscribe(fromRv: number, sink: WatchSink): Subscription | "expired" {
    if (fromRv < this.#floor) return "expired";
    const size = this.#ring.length;
    // Binary search for the first event after fromRv: the ring is ordered by rv.
    let lo = 0, hi = this.#count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#ring[(this.#start + mid) % size]!.rv <= fromRv) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.#count; i++) {
      const event = this.#ring[(this.#start + i) % size]!;
      if (sink.accepts(event) && !sink.send(event)) return { stop() {} };
    }
    this.#sinks.set(sink, fromRv);
    return { stop: () => void this.#sinks.delete(sink) };
  }
}
