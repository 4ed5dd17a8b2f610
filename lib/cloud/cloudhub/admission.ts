/**
 * Admission of strangers: every TCP connection is a stranger until its link upgrade (or HTTPS request) arrives over
 * TLS. Strangers are bounded so that a flood of them cannot crowd out nodes (DESIGN "Trust boundaries"):
 *
 * - a stranger that has sent no byte within `idleMs` is dropped (a real node sends its TLS ClientHello at once);
 * - a stranger that has not sent its upgrade request within `deadlineMs` of connecting is dropped;
 * - one source address holds at most `maxPerAddress` strangers, and the whole server at most `maxPending`.
 *
 * Limits are enforced by a pass that runs shortly after a limit is exceeded, not at accept time: a batch of accepts
 * runs before any of their reads, so judging at accept would evict a node's socket before its hello was read. The
 * pass sheds, per address and then globally, the OLDEST stranger that never sent a byte (and is at least 1 s old);
 * when none is idle, a source holding several slots loses its oldest, and in a storm of one handshake per source the
 * newest go (refusing newcomers throws away no TLS work). Past twice `maxPending` the oldest idle stranger, or else
 * the newcomer, is closed at once, which bounds the memory strangers can take. What is shed is logged as one summary
 * line per `summaryEveryMs`, never one line per connection.
 *
 * @module
 */
import type { Socket } from "node:net";
import type { Logger } from "../../log/index.ts";

/** Limits on strangers (connections before their link upgrade). */
export type AdmissionLimits = {
  /** Strangers held at once, over all sources. */
  maxPending: number;
  /** Strangers held at once from one source address. */
  maxPerAddress: number;
  /** A stranger that sent no byte this long after connecting is dropped (ms). */
  idleMs: number;
  /** A stranger whose upgrade request has not arrived this long after connecting is dropped (ms). */
  deadlineMs: number;
  /** Shortest time between two summary log lines (ms). @default 10000 */
  summaryEveryMs?: number;
};

/** Why strangers were shed, counted since the server started. */
export type ShedCounts = {
  /** Sent no byte within the idle timeout. */
  idle: number;
  /** Did not finish TLS and send a request within the deadline. */
  deadline: number;
  /** Dropped to make room for a newcomer: idle ones first. */
  evictedIdle: number;
  /** Dropped to make room: the oldest of the source holding the most slots. */
  evictedBusiest: number;
  /** Newcomers closed at once because no stranger could be shed for them. */
  refused: number;
};

type Entry = { socket: Socket; address: string; since: number; spoke: boolean; pass: number };

const SUMMARY_EVERY_MS = 10_000;
/**
 * An idle stranger is not shed for being over a limit before this age: a node's hello can lag its connection by
 * the time its own busy event loop takes to write it. (Strangers beyond twice the limit are shed regardless.)
 */
const IDLE_GRACE_MS = 1000;
/** Delay of an enforcement pass after a limit is exceeded: long enough to batch a burst of accepts. */
const ENFORCE_DELAY_MS = 10;

/** Tracks strangers from accept until their request arrives, and sheds them by the policy in the module doc. */
export class Admission {
  readonly #limits: Required<AdmissionLimits>;
  readonly #log: Logger;
  /** Insertion order is age order: the first entry is the oldest stranger. */
  readonly #pending = new Map<string, Entry>();
  readonly #perAddress = new Map<string, number>();
  readonly counts: ShedCounts = { idle: 0, deadline: 0, evictedIdle: 0, evictedBusiest: 0, refused: 0 };
  /** Shed per source since the last summary line. */
  #bySource = new Map<string, number>();
  #shedSinceSummary = 0;
  #lastSummary = 0;
  /** Enforcement passes run so far; an entry remembers the count at its admission. */
  #passes = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(limits: AdmissionLimits, log: Logger) {
    this.#limits = { summaryEveryMs: SUMMARY_EVERY_MS, ...limits };
    this.#log = log;
  }

  /** Strangers held now. */
  get size(): number {
    return this.#pending.size;
  }

  /** Strangers held now that have sent nothing yet. */
  get idle(): number {
    let n = 0;
    for (const e of this.#pending.values()) if (isIdle(e)) n++;
    return n;
  }

  /** Strangers shed since the start, for every reason. */
  get shed(): number {
    const c = this.counts;
    return c.idle + c.deadline + c.evictedIdle + c.evictedBusiest + c.refused;
  }

  /**
   * Registers a new connection. Limits are enforced by a pass that runs shortly after (see {@link Admission}), so a
   * node's socket accepted in the same batch as thousands of idle ones has had its hello read before anyone is
   * judged; only at twice `maxPending` is the oldest idle stranger (or else the newcomer) closed at once.
   *
   * @returns false when the newcomer itself was closed
   */
  admit(socket: Socket, now = Date.now()): boolean {
    const address = socket.remoteAddress ?? "unknown";
    const key = keyOf(socket);
    if (!key) {
      // already closed by the peer: nothing to hold
      socket.destroy();
      return false;
    }
    if (this.#pending.size >= 2 * this.#limits.maxPending) {
      const idle = this.#oldest(isIdle);
      if (!idle) return this.#refuse(socket, address);
      this.#drop(idle, "evictedIdle");
    }
    const entry: Entry = { socket, address, since: now, spoke: false, pass: this.#passes };
    this.#pending.set(key, entry);
    const held = (this.#perAddress.get(address) ?? 0) + 1;
    this.#perAddress.set(address, held);
    socket.once("close", () => this.#forget(key, entry));
    if (held > this.#limits.maxPerAddress || this.#pending.size > this.#limits.maxPending) this.#schedule();
    return true;
  }

  /**
   * Brings strangers back within the limits. An idle stranger can be judged only once a pass has gone by since it was
   * accepted: the event loop has then read whatever it sent (a batch of accepts runs before any of their reads).
   */
  enforce(): void {
    this.#passes++;
    const now = Date.now();
    const judged = (e: Entry) => isIdle(e) && this.#passes - e.pass >= 2 && now - e.since >= IDLE_GRACE_MS;
    let waiting = false;
    for (const [address, held] of [...this.#perAddress]) {
      let over = held - this.#limits.maxPerAddress;
      while (over > 0) {
        const idle = this.#oldest((e) => e.address === address && judged(e));
        if (idle) this.#drop(idle, "evictedIdle");
        else if (this.#oldest((e) => e.address === address && isIdle(e))) {
          waiting = true;
          break;
        } else {
          // every one of them is mid-handshake: the newest go, which is what refusing them at once would have done
          this.#drop(this.#newest((e) => e.address === address)!, "refused");
        }
        over--;
      }
    }
    while (this.#pending.size > this.#limits.maxPending) {
      const idle = this.#oldest(judged);
      if (idle) {
        this.#drop(idle, "evictedIdle");
        continue;
      }
      if (this.#oldest(isIdle)) {
        waiting = true;
        break;
      }
      // No idle stranger. A source holding several slots loses its oldest (a real node finishes its handshake in
      // milliseconds, so the oldest is the one stalling); when every source holds one (a reconnect storm) the newest
      // go, cheaper than throwing away TLS work already done.
      const [busiest, held] = this.#busiest();
      if (busiest && held > 1) this.#drop(this.#oldest((e) => e.address === busiest)!, "evictedBusiest");
      else this.#drop(this.#newest(() => true)!, "refused");
    }
    if (waiting) this.#schedule(true);
  }

  /** The stranger sent its first bytes (its TLS hello): it is no longer idle. */
  spoke(socket: Socket): void {
    const key = keyOf(socket);
    const e = key === undefined ? undefined : this.#pending.get(key);
    if (e?.socket === socket) e.spoke = true;
  }

  /** The stranger with this remote address and port sent its request: it is a peer now, no longer bounded here. */
  settled(remoteAddress: string | undefined, remotePort: number | undefined): void {
    const key = `${remoteAddress}:${remotePort}`;
    const e = this.#pending.get(key);
    if (e) this.#forget(key, e);
  }

  /** Drops strangers past the idle timeout or the deadline, and writes the summary line when one is due. */
  sweep(now = Date.now()): void {
    for (const e of [...this.#pending.values()]) {
      const age = now - e.since;
      if (age > this.#limits.deadlineMs) this.#drop(e, "deadline");
      else if (age > this.#limits.idleMs && isIdle(e)) this.#drop(e, "idle");
    }
    this.#summarize(now);
  }

  /** Closes every stranger (server stopping). */
  closeAll(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const e of [...this.#pending.values()]) e.socket.destroy();
  }

  #schedule(waitingOnly = false): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.enforce();
    }, waitingOnly ? ENFORCE_DELAY_MS * 10 : ENFORCE_DELAY_MS);
    this.#timer.unref?.();
  }

  #newest(match: (e: Entry) => boolean): Entry | undefined {
    let hit: Entry | undefined;
    for (const e of this.#pending.values()) if (match(e)) hit = e;
    return hit;
  }

  #refuse(socket: Socket, address: string): false {
    this.#count("refused", address);
    socket.destroy();
    return false;
  }

  #drop(e: Entry, reason: keyof ShedCounts): void {
    const key = keyOf(e.socket);
    if (key) this.#forget(key, e);
    this.#count(reason, e.address);
    e.socket.destroy();
  }

  #count(reason: keyof ShedCounts, address: string): void {
    this.counts[reason]++;
    this.#shedSinceSummary++;
    this.#bySource.set(address, (this.#bySource.get(address) ?? 0) + 1);
  }

  #forget(key: string, e: Entry): void {
    if (this.#pending.get(key) !== e) return;
    this.#pending.delete(key);
    const n = (this.#perAddress.get(e.address) ?? 1) - 1;
    if (n > 0) this.#perAddress.set(e.address, n);
    else this.#perAddress.delete(e.address);
  }

  #oldest(match: (e: Entry) => boolean): Entry | undefined {
    for (const e of this.#pending.values()) if (match(e)) return e;
    return undefined;
  }

  #busiest(): [string | undefined, number] {
    let best: string | undefined;
    let held = 0;
    for (const [address, n] of this.#perAddress) {
      if (n > held) [best, held] = [address, n];
    }
    return [best, held];
  }

  #summarize(now: number): void {
    if (this.#shedSinceSummary === 0 || now - this.#lastSummary < this.#limits.summaryEveryMs) return;
    const top = [...this.#bySource].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([a, n]) => `${a}=${n}`);
    this.#log.warn("strangers shed before the link handshake", {
      shed: this.#shedSinceSummary,
      sinceMs: this.#lastSummary ? now - this.#lastSummary : undefined,
      topSources: top.join(","),
      pending: this.#pending.size,
      ...this.counts,
    });
    this.#lastSummary = now;
    this.#shedSinceSummary = 0;
    this.#bySource = new Map();
  }
}

/** A socket's key: remote address and port, which the TLS socket wrapping it reports too. */
function keyOf(s: Socket): string | undefined {
  return s.remoteAddress === undefined ? undefined : `${s.remoteAddress}:${s.remotePort}`;
}

/** True while the peer has sent nothing. */
function isIdle(e: Entry): boolean {
  return !e.spoke;
}
