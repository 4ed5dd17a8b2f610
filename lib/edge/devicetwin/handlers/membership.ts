/**
 * Membership from the cloud: `membership` (MembershipUpdate: devices added to and removed from this node) and
 * `membership/detail` (the node's full device list, sent on every connect: devices not in it are removed). Added
 * devices are stored with their attributes and twins; each new or removed device is announced on
 * `$hw/events/node/<node>/membership/updated`.
 *
 * @module
 */
import type { Tx } from "../../../store/types.ts";
import { applyCloudUpdate, type TwinChange, twinDelta } from "../apply_twin_update.ts";
import { type CachedDevice, emptyDevice } from "../device_cache.ts";
import { deleteDevice, insertDevice, loadAttrs, replaceAttrs, setTwinSeq, writeTwins } from "../device_dao.ts";
import { type Membership, parseMembership } from "../parse_payload.ts";
import { attrUpdate, freshBase, memberDevice, membershipUpdate } from "../payloads.ts";
import { deviceTopic, nodeTopic, Suffix } from "../topics.ts";
import type { DeviceJson, MsgAttr, MsgTwin } from "../types.ts";
import { edgeUpdated, noEffects, publishChange } from "./_effects.ts";
import type { Effects, Handler, HandlerDeps } from "./types.ts";

/** A device as this membership leaves it; put into the cache once every write of the body succeeded. */
type Staged = {
  next: CachedDevice;
  isNew: boolean;
  json: DeviceJson;
  change: TwinChange;
  seq: number;
  attrsChanged: Record<string, MsgAttr | null>;
};

function stage(tx: Tx, current: CachedDevice | undefined, d: DeviceJson, now: number): Staged {
  const id = d.id!;
  const isNew = !current;
  const next: CachedDevice = current ? { ...current, twins: new Map(current.twins) } : emptyDevice(id, d.name ?? id, d.description ?? "", d.state ?? "");
  if (isNew) insertDevice(tx, next);
  const change = applyCloudUpdate(next.twins, (d.twin ?? {}) as Record<string, MsgTwin | null>, now);
  writeTwins(tx, id, change.writes.values(), next.twins);
  for (const [name, t] of change.writes) next.twins.set(name, t);
  const seq = Object.keys(change.sync).length ? next.twinSeq + 1 : 0;
  if (seq) {
    setTwinSeq(tx, id, seq);
    next.twinSeq = seq;
  }
  let attrsChanged: Record<string, MsgAttr | null> = {};
  if (d.attributes) {
    attrsChanged = replaceAttrs(tx, id, d.attributes);
    next.attrs = loadAttrs(tx, id);
  }
  return { next, isNew, json: d, change, seq, attrsChanged };
}

/** Builds the handler for both forms; `detail` removes the devices the list leaves out. */
export function makeMembership<A extends "membershipUpdate" | "membershipDetail">(deps: HandlerDeps, detail: A extends "membershipDetail" ? true : false): Handler<A> {
  return async ({ payload }): Promise<Effects> => {
    let m: Membership & { devices?: DeviceJson[] };
    try {
      m = parseMembership(payload);
    } catch (err) {
      deps.log.warn("bad membership from the cloud", { reason: (err as Error).message });
      return noEffects();
    }
    const now = Date.now();
    const added = detail ? (m.devices ?? []) : m.added;
    const out = await deps.store.transaction((tx) => {
      const staged = new Map<string, Staged>();
      for (const d of added) {
        const prev = staged.get(d.id!);
        const s = stage(tx, prev?.next ?? deps.devices.get(d.id!), d, now);
        if (prev) s.isNew ||= prev.isNew;
        staged.set(d.id!, s);
      }
      const toRemove = detail ? deps.devices.list().filter((r) => !staged.has(r.id)).map((r): DeviceJson => ({ id: r.id })) : m.removed;
      const removed = toRemove.filter((d) => deps.devices.get(d.id!) && !staged.has(d.id!));
      for (const d of removed) deleteDevice(tx, d.id!);
      // every write succeeded: the cache follows
      for (const s of staged.values()) deps.devices.set(s.next);
      for (const d of removed) deps.devices.delete(d.id!);
      return { applied: [...staged.values()].map((s) => ({ ...s, delta: twinDelta(s.next.twins.values()) })), removed };
    });
    const fx = noEffects();
    const topic = nodeTopic(deps.nodeName, Suffix.membershipUpdated);
    const base = { event_id: m.event_id, timestamp: now };
    for (const a of out.applied) {
      const id = a.next.id;
      if (a.isNew) fx.publish.push([topic, membershipUpdate(freshBase(now), [memberDevice(a.json)], null)]);
      const names = deps.aliases.namesOf(id);
      publishChange(fx, names, base, a.change, a.delta);
      if (Object.keys(a.attrsChanged).length) {
        for (const name of names) fx.publish.push([deviceTopic(name, Suffix.attrUpdated), attrUpdate(base, a.attrsChanged)]);
      }
      if (a.seq) fx.reports.push(edgeUpdated(id, a.change.sync, a.seq, now));
    }
    for (const d of out.removed) {
      fx.publish.push([topic, membershipUpdate(freshBase(now), null, [memberDevice(d)])]);
      deps.aliases.forget(d.id!);
    }
    deps.log.info("membership applied", {
      added: out.applied.filter((a) => a.isNew).map((a) => a.next.id).join(",") || "-",
      removed: out.removed.map((d) => d.id).join(",") || "-",
    });
    return fx;
  };
}
