/**
 * Reports to the cloud (actual twin values, device state) and the bookkeeping that makes them survive a lost link:
 * every change is counted in the store with the change itself; while the hub is connected the report goes out at
 * once and its count is confirmed after `confirmMs` without a link drop; on every connect each device with
 * unconfirmed changes is reported again in full.
 *
 * @module
 */
import { BusError, type Bus } from "../../core/index.ts";
import type { Logger } from "../../log/index.ts";
import { ModuleName, type Message } from "../../model/index.ts";
import type { Store } from "../../store/types.ts";
import type { DeviceCache } from "./device_cache.ts";
import { markSent } from "./device_dao.ts";

/** One report and the change counts it carries. */
export type Report = { msg: Message; deviceId: string; twinSeq?: number; stateSeq?: number };

type Pending = { twinSeq: number; stateSeq: number; at: number };

/** Sends reports and tracks which the cloud can be assumed to have. */
export class CloudReporter {
  readonly #store: Store;
  readonly #devices: DeviceCache;
  readonly #log: Logger;
  readonly #confirmMs: number;
  readonly #pending = new Map<string, Pending>();
  #connected = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** Reports sent to the hub. */
  sent = 0;

  constructor(store: Store, devices: DeviceCache, options: { confirmMs: number; log: Logger }) {
    this.#store = store;
    this.#devices = devices;
    this.#confirmMs = options.confirmMs;
    this.#log = options.log;
  }

  /** True after the hub announced `connected` and until it announces `disconnected`. */
  get connected(): boolean {
    return this.#connected;
  }

  /** Follows the hub's link events. A drop forgets unconfirmed sends, so they are reported again on reconnect. */
  setConnected(connected: boolean): void {
    this.#connected = connected;
    if (!connected) this.#pending.clear();
  }

  /** Sends a report if the hub is connected; otherwise it waits in the store for the next connect. */
  async send(bus: Bus, r: Report): Promise<void> {
    if (!this.#connected) return;
    try {
      await bus.send(ModuleName.edgeHub, r.msg);
    } catch (err) {
      if (!(err instanceof BusError)) throw err;
      this.#log.debug("cannot report to the cloud", { device: r.deviceId, error: err.message });
      return;
    }
    this.sent++;
    const p = this.#pending.get(r.deviceId) ?? { twinSeq: 0, stateSeq: 0, at: 0 };
    p.twinSeq = Math.max(p.twinSeq, r.twinSeq ?? 0);
    p.stateSeq = Math.max(p.stateSeq, r.stateSeq ?? 0);
    p.at = Date.now();
    this.#pending.set(r.deviceId, p);
  }

  /** Starts confirming sends periodically. */
  start(): void {
    this.#timer ??= setInterval(() => {
      void this.confirm().catch((err) => this.#log.warn("cannot record reports as delivered", { error: String(err) }));
    }, Math.max(50, this.#confirmMs / 2));
    this.#timer.unref?.();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Clears the dirty marks of reports sent at least `confirmMs` ago on a link that has not dropped since. */
  async confirm(now = Date.now()): Promise<void> {
    if (!this.#connected) return;
    const due: [string, Pending][] = [];
    for (const [id, p] of this.#pending) if (now - p.at >= this.#confirmMs) due.push([id, p]);
    if (!due.length) return;
    for (const [id] of due) this.#pending.delete(id);
    await this.#store.transaction((tx) => {
      for (const [id, p] of due) {
        const d = this.#devices.get(id);
        if (!d) continue;
        markSent(tx, id, p.twinSeq, p.stateSeq);
        d.twinSent = Math.max(d.twinSent, p.twinSeq);
        d.stateSent = Math.max(d.stateSent, p.stateSeq);
      }
    });
  }
}
