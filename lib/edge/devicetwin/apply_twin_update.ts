/**
 * The twin merge rules: what an update from a device (`twin/update`) or from the cloud (`twin/cloud_updated`,
 * membership) does to a device's twins, and what is answered, documented and synced because of it. Pure functions
 * over the device's current twins; the caller stores `writes` and publishes the rest.
 *
 * Versions, as in KubeEdge: a device update bumps the edge version of what it sets; a cloud update carries
 * `{cloud, edge}` and is refused when the twin already has a newer cloud version or a newer edge version.
 *
 * @module
 */
import { TwinError } from "./twin_error.ts";
import { checkValueType, cloneTwin, DELETED, toMsgTwin, type Twin, withoutVersions } from "./twin_model.ts";
import type { MsgTwin, TwinValueJson, TwinVersion } from "./types.ts";

/** `last` and `current` state of one changed twin (DeviceTwinDocument entry). */
export type TwinDoc = { last: MsgTwin | null; current: MsgTwin | null };

/** What an update produced. */
export type TwinChange = {
  /** Per twin, what the device is answered on `twin/update/result` (device updates only). */
  result: Record<string, MsgTwin | null>;
  /** Per twin, what goes to the cloud as `edge_updated` (with versions). */
  sync: Record<string, MsgTwin>;
  /** Per changed twin, its state before and after. */
  document: Record<string, TwinDoc>;
  /** Twins to store (new or changed), by name. */
  writes: Map<string, Twin>;
};

function emptyChange(): TwinChange {
  return { result: {}, sync: {}, document: {}, writes: new Map() };
}

/** Rebuilds a payload twin in KubeEdge's key order. */
function ordered(t: MsgTwin): MsgTwin {
  const out: MsgTwin = {};
  for (const k of ["expected", "actual", "optional", "metadata", "expected_version", "actual_version"] as const) {
    if (t[k] !== undefined) (out as Record<string, unknown>)[k] = t[k];
  }
  return out;
}

function stamped(v: TwinValueJson, now: number): TwinValueJson {
  return v.value === undefined || v.value === null ? { metadata: { timestamp: now } } : { value: v.value, metadata: { timestamp: now } };
}

function newTwin(name: string, msg: MsgTwin): Twin {
  return {
    name, description: "", expected: null, expectedTs: null, expectedVersion: null, actual: null, actualTs: null, actualVersion: null,
    optional: msg.optional ?? true, type: msg.metadata?.type ?? "string", metadata: "{}",
  };
}

/** Applies the twin metadata and `optional` of an update; returns whether anything changed. */
function applyTypeAndOptional(t: Twin, msg: MsgTwin, sync: MsgTwin): boolean {
  let changed = false;
  // An optional twin may become mandatory, never the other way round.
  if (msg.optional !== undefined && msg.optional !== t.optional && t.optional) {
    t.optional = msg.optional;
    sync.optional = t.optional;
    changed = true;
  }
  if (msg.metadata) {
    if ((msg.metadata.type ?? "") !== t.type) {
      t.metadata = "{}";
      if (t.type === DELETED) {
        t.type = msg.metadata.type ?? "";
        sync.metadata = { type: t.type };
      }
      changed = true;
    }
  } else if (t.type === DELETED) {
    t.type = "string";
    sync.metadata = { type: t.type };
    changed = true;
  }
  return changed;
}

/**
 * Applies a device's update. Every twin named is changed or added; a twin set to null is deleted when optional.
 *
 * @param maxTwins most twins a device may have; a device cannot grow the store without bound
 * @throws TwinError 400 when a value does not fit its twin's type or the device would pass `maxTwins` (nothing is
 * applied then)
 */
export function applyEdgeUpdate(twins: ReadonlyMap<string, Twin>, update: Record<string, MsgTwin | null>, now: number, eventId: string, maxTwins = Infinity): TwinChange {
  const adding = Object.keys(update).filter((name) => update[name] && !twins.has(name)).length;
  if (adding && twins.size + adding > maxTwins) {
    throw new TwinError(400, `The number of twins would exceed ${maxTwins}, the most a device may have`, eventId);
  }
  const change = emptyChange();
  for (const [name, msg] of Object.entries(update)) {
    const before = twins.get(name);
    if (!before) {
      if (msg) addFromEdge(change, name, msg, now, eventId);
      continue;
    }
    const t = cloneTwin(before);
    if (!msg) {
      if (!t.optional || t.type === DELETED) continue;
      let changed = false;
      if (t.expectedVersion) {
        t.expectedVersion.edge++;
        t.expected = null;
        t.expectedTs = null;
        changed = true;
      }
      if (t.actualVersion) {
        t.actualVersion.edge++;
        t.actual = null;
        t.actualTs = null;
        changed = true;
      }
      if (!changed) continue;
      t.type = DELETED;
      change.writes.set(name, t);
      change.result[name] = null;
      change.sync[name] = toMsgTwin(t, true);
      change.document[name] = { last: toMsgTwin(before, false), current: null };
      continue;
    }
    const sync: MsgTwin = {};
    let changed = false;
    for (const side of ["expected", "actual"] as const) {
      const v = msg[side];
      if (!v) continue;
      const valueType = t.type === DELETED ? (msg.metadata?.type ?? "string") : t.type;
      const had = side === "expected" ? t.expected : t.actual;
      if (had !== null) {
        const bad = checkValueType(valueType, v.value ?? "");
        if (bad) throw new TwinError(400, bad, eventId);
      }
      const versionKey = side === "expected" ? "expectedVersion" : "actualVersion";
      const version = { ...(t[versionKey] ?? { cloud: 0, edge: 0 }) };
      version.edge++;
      t[versionKey] = version;
      if (side === "expected") {
        t.expected = v.value ?? null;
        t.expectedTs = now;
      } else {
        t.actual = v.value ?? null;
        t.actualTs = now;
      }
      sync[side] = stamped(v, now);
      sync[side === "expected" ? "expected_version" : "actual_version"] = { ...version };
      sync.optional = t.optional;
      sync.metadata = t.type ? { type: t.type } : {};
      changed = true;
    }
    if (applyTypeAndOptional(t, msg, sync)) changed = true;
    if (!changed) continue;
    change.writes.set(name, t);
    change.document[name] = { last: before.type === DELETED ? null : toMsgTwin(before, false), current: toMsgTwin(t, false) };
    change.sync[name] = ordered(sync);
    change.result[name] = ordered(withoutVersions(sync));
  }
  return change;
}

function addFromEdge(change: TwinChange, name: string, msg: MsgTwin, now: number, eventId: string): void {
  const t = newTwin(name, msg);
  const valueType = msg.metadata?.type ?? "string";
  for (const side of ["expected", "actual"] as const) {
    const v = msg[side];
    if (!v) continue;
    const bad = checkValueType(valueType, v.value ?? "");
    if (bad) throw new TwinError(400, bad, eventId);
    if (side === "expected") {
      t.expected = v.value ?? "";
      t.expectedTs = now;
      t.expectedVersion = { cloud: 0, edge: 1 };
    } else {
      t.actual = v.value ?? "";
      t.actualTs = now;
      t.actualVersion = { cloud: 0, edge: 1 };
    }
  }
  change.writes.set(name, t);
  change.document[name] = { last: null, current: t.type === DELETED ? null : toMsgTwin(t, false) };
  change.sync[name] = toMsgTwin(t, true);
  change.result[name] = toMsgTwin(t, false);
}

/** Whether a cloud update with version `req` may replace a twin value whose version is `have`. */
function cloudMayWrite(have: TwinVersion | null, req: TwinVersion | undefined): req is TwinVersion {
  if (!req) return false;
  const h = have ?? { cloud: 0, edge: 0 };
  return h.cloud <= req.cloud && h.edge <= req.edge;
}

/**
 * Applies an update from the cloud (expected values from DeviceController, or twins of a membership). A twin whose
 * versions forbid the update is left as it is and reported back in `sync`, so the cloud learns the edge's state.
 * Twins with bad values are skipped: the cloud cannot be answered on MQTT.
 */
export function applyCloudUpdate(twins: ReadonlyMap<string, Twin>, update: Record<string, MsgTwin | null>, now: number): TwinChange {
  const change = emptyChange();
  for (const [name, msg] of Object.entries(update)) {
    if (!msg) continue;
    const before = twins.get(name);
    if (!before) {
      if (msg.metadata?.type !== DELETED) addFromCloud(change, name, msg, now);
      continue;
    }
    const t = cloneTwin(before);
    if (msg.metadata?.type === DELETED) {
      deleteFromCloud(change, before, t, msg);
      continue;
    }
    const sync: MsgTwin = {};
    let allowed = true;
    let changed = false;
    for (const side of ["expected", "actual"] as const) {
      const v = msg[side];
      if (!v || !allowed) continue;
      const valueType = t.type === DELETED ? (msg.metadata?.type ?? "string") : t.type;
      const had = side === "expected" ? t.expected : t.actual;
      if (had !== null && checkValueType(valueType, v.value ?? "")) continue;
      const versionKey = side === "expected" ? "expectedVersion" : "actualVersion";
      const req = msg[side === "expected" ? "expected_version" : "actual_version"];
      if (!cloudMayWrite(t[versionKey], req)) {
        Object.assign(sync, pick(toMsgTwin(t, true), side));
        allowed = false;
        continue;
      }
      t[versionKey] = { ...req };
      if (side === "expected") {
        t.expected = v.value ?? null;
        t.expectedTs = now;
      } else {
        t.actual = v.value ?? null;
        t.actualTs = now;
      }
      changed = true;
    }
    if (allowed && applyTypeAndOptional(t, msg, sync)) changed = true;
    if (changed) {
      change.writes.set(name, t);
      change.document[name] = { last: before.type === DELETED ? null : toMsgTwin(before, false), current: toMsgTwin(t, false) };
    }
    if (!allowed) change.sync[name] = ordered(sync);
  }
  return change;
}

/** The parts of a payload twin that describe one side (expected or actual) and the twin's type. */
function pick(t: MsgTwin, side: "expected" | "actual"): MsgTwin {
  const out: MsgTwin = { optional: t.optional, metadata: t.metadata };
  if (t[side]) out[side] = t[side];
  const vk = side === "expected" ? "expected_version" : "actual_version";
  if (t[vk]) out[vk] = t[vk];
  return out;
}

function deleteFromCloud(change: TwinChange, before: Twin, t: Twin, msg: MsgTwin): void {
  if (t.type === DELETED) return;
  let changed = false;
  for (const side of ["expected", "actual"] as const) {
    const versionKey = side === "expected" ? "expectedVersion" : "actualVersion";
    const have = t[versionKey];
    if (!have) continue;
    const req = msg[side === "expected" ? "expected_version" : "actual_version"];
    // A delete without a version is allowed; with one, it must not be older than the twin.
    if (req && (have.cloud > req.cloud || have.edge > req.edge)) {
      change.sync[t.name] = toMsgTwin(before, true);
      return;
    }
    if (req) t[versionKey] = { ...req };
    if (side === "expected") {
      t.expected = null;
      t.expectedTs = null;
    } else {
      t.actual = null;
      t.actualTs = null;
    }
    changed = true;
  }
  if (!changed) return;
  t.type = DELETED;
  change.writes.set(t.name, t);
  change.document[t.name] = { last: toMsgTwin(before, false), current: null };
}

function addFromCloud(change: TwinChange, name: string, msg: MsgTwin, now: number): void {
  const t = newTwin(name, msg);
  const valueType = msg.metadata?.type ?? "string";
  for (const side of ["expected", "actual"] as const) {
    const v = msg[side];
    if (!v) continue;
    const req = msg[side === "expected" ? "expected_version" : "actual_version"];
    // The cloud always versions what it sends; an unversioned twin is refused
    if (!req || checkValueType(valueType, v.value ?? "")) return;
    if (side === "expected") {
      t.expected = v.value ?? "";
      t.expectedTs = now;
      t.expectedVersion = { ...req };
    } else {
      t.actual = v.value ?? "";
      t.actualTs = now;
      t.actualVersion = { ...req };
    }
  }
  change.writes.set(name, t);
  change.document[name] = { last: null, current: toMsgTwin(t, false) };
}

/**
 * The delta of a device's twins (DeviceTwinDelta body): every twin with a non-empty expected value, and for those
 * whose actual value differs, the expected value.
 *
 * @returns undefined when no twin differs (nothing is published then)
 */
export function twinDelta(twins: Iterable<Twin>): { twin: Record<string, MsgTwin>; delta: Record<string, string> } | undefined {
  const twin: Record<string, MsgTwin> = {};
  const delta: Record<string, string> = {};
  for (const t of twins) {
    if (t.type === DELETED || !t.expected) continue;
    if (t.expected !== (t.actual ?? "")) delta[t.name] = t.expected;
    twin[t.name] = toMsgTwin(t, false);
  }
  return Object.keys(delta).length ? { twin, delta } : undefined;
}
