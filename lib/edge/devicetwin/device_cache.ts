/**
 * Every device of the node in memory, as KubeEdge keeps them: loaded from the store at start, changed only by
 * transaction bodies after their writes succeeded, so it always equals what the store holds. Requests read it
 * instead of querying SQLite; the store stays the durable copy.
 *
 * @module
 */
import type { Reader } from "./device_dao.ts";
import { listDevices, loadAttrs, loadSyncRows, loadTwins } from "./device_dao.ts";
import type { Twin } from "./twin_model.ts";
import type { MsgAttr } from "./types.ts";

/** One device with its twins, attributes and report counters. */
export type CachedDevice = {
  id: string;
  name: string;
  description: string;
  state: string;
  lastOnline: string;
  twins: Map<string, Twin>;
  attrs: Record<string, MsgAttr>;
  /** Twin changes made, and how many the cloud has (the dirty mark: twinSeq > twinSent). */
  twinSeq: number;
  twinSent: number;
  stateSeq: number;
  stateSent: number;
};

/** A device with nothing yet. */
export function emptyDevice(id: string, name: string, description: string, state: string): CachedDevice {
  return { id, name, description, state, lastOnline: "", twins: new Map(), attrs: {}, twinSeq: 0, twinSent: 0, stateSeq: 0, stateSent: 0 };
}

/** Puts a change's twins and twin count into a cached device (call only after the change's writes succeeded). */
export function commitTwins(d: CachedDevice, writes: ReadonlyMap<string, Twin>, twinSeq: number): void {
  for (const [name, t] of writes) d.twins.set(name, t);
  if (twinSeq) d.twinSeq = twinSeq;
}

/** The devices of this node, by id. */
export class DeviceCache {
  readonly #devices = new Map<string, CachedDevice>();

  /** Replaces the contents with what the store holds. */
  load(q: Reader): void {
    this.#devices.clear();
    const sync = new Map(loadSyncRows(q).map((r) => [r.deviceid, r]));
    for (const row of listDevices(q)) {
      const d = emptyDevice(row.id, row.name ?? row.id, row.description ?? "", row.state ?? "");
      d.lastOnline = row.last_online ?? "";
      d.twins = loadTwins(q, row.id);
      d.attrs = loadAttrs(q, row.id);
      const s = sync.get(row.id);
      if (s) Object.assign(d, { twinSeq: s.twin_seq, twinSent: s.twin_sent, stateSeq: s.state_seq, stateSent: s.state_sent });
      this.#devices.set(row.id, d);
    }
  }

  get size(): number {
    return this.#devices.size;
  }

  get(id: string): CachedDevice | undefined {
    return this.#devices.get(id);
  }

  /** The device a topic names: by id, or for `<ns>/<name>` by that id first and then by name. */
  resolve(ident: string): CachedDevice | undefined {
    const direct = this.#devices.get(ident);
    if (direct || !ident.includes("/")) return direct;
    return this.#devices.get(ident.slice(ident.indexOf("/") + 1));
  }

  set(d: CachedDevice): void {
    this.#devices.set(d.id, d);
  }

  delete(id: string): void {
    this.#devices.delete(id);
  }

  /** All devices, ordered by id. */
  list(): CachedDevice[] {
    return [...this.#devices.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
