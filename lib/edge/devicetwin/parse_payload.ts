/**
 * Strict parsing of what devices and the cloud send DeviceTwin. A payload that would not decode into KubeEdge's Go
 * structs (a number where a string belongs, a list where a map belongs) is rejected the same way KubeEdge rejects it.
 *
 * @module
 */
import { Reason, TwinError } from "./twin_error.ts";
import type { BaseMessage, DeviceJson, MsgAttr, MsgTwin, TwinValueJson, TwinVersion } from "./types.ts";

class ShapeError extends Error {}

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) throw new ShapeError();
  return v as Obj;
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new ShapeError();
  return v;
}

function int(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v)) throw new ShapeError();
  return v;
}

function bool(v: unknown): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw new ShapeError();
  return v;
}

function decode(payload: unknown): unknown {
  if (typeof payload !== "string") return payload;
  try {
    return JSON.parse(payload);
  } catch {
    throw new ShapeError();
  }
}

function base(o: Obj | undefined): BaseMessage {
  return { event_id: str(o?.event_id) ?? "", timestamp: int(o?.timestamp) ?? 0 };
}

function version(v: unknown): TwinVersion | undefined {
  const o = obj(v);
  return o && { cloud: int(o.cloud) ?? 0, edge: int(o.edge) ?? 0 };
}

function twinValue(v: unknown): TwinValueJson | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const out: TwinValueJson = {};
  const value = str(o.value);
  if (value !== undefined) out.value = value;
  const meta = obj(o.metadata);
  if (meta) out.metadata = { timestamp: int(meta.timestamp) };
  return out;
}

function msgTwin(v: unknown): MsgTwin | null {
  const o = obj(v);
  if (!o) return null;
  const t: MsgTwin = {};
  const expected = twinValue(o.expected);
  if (expected) t.expected = expected;
  const actual = twinValue(o.actual);
  if (actual) t.actual = actual;
  const optional = bool(o.optional);
  if (optional !== undefined) t.optional = optional;
  const meta = obj(o.metadata);
  if (meta) t.metadata = { type: str(meta.type) ?? "" };
  const ev = version(o.expected_version);
  if (ev) t.expected_version = ev;
  const av = version(o.actual_version);
  if (av) t.actual_version = av;
  return t;
}

function twinMap(v: unknown): Record<string, MsgTwin | null> | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const out: Record<string, MsgTwin | null> = {};
  for (const [k, t] of Object.entries(o)) out[k] = msgTwin(t);
  return out;
}

function attrMap(v: unknown): Record<string, MsgAttr | null> | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const out: Record<string, MsgAttr | null> = {};
  for (const [k, a] of Object.entries(o)) {
    const ao = obj(a);
    if (!ao) {
      out[k] = null;
      continue;
    }
    const attr: MsgAttr = { value: str(ao.value) ?? "" };
    const optional = bool(ao.optional);
    if (optional !== undefined) attr.optional = optional;
    const meta = obj(ao.metadata);
    if (meta) attr.metadata = { type: str(meta.type) ?? "" };
    out[k] = attr;
  }
  return out;
}

const NAME = /^[a-zA-Z0-9\-_.,:/@#]{1,128}$/;
const VALUE = /^[a-zA-Z0-9\-_.,:/@#]{1,512}$/;

/** True for a twin name KubeEdge accepts: `A-Za-z0-9-_.,:/@#`, 1 to 128 characters. */
export function isValidTwinName(name: string): boolean {
  return NAME.test(name);
}

/** True for a twin value KubeEdge accepts: the empty string, or `A-Za-z0-9-_.,:/@#` up to 512 characters. */
export function isValidTwinValue(value: string): boolean {
  return value === "" || VALUE.test(value);
}

/** A parsed twin update (DeviceTwinUpdate). */
export type TwinUpdate = BaseMessage & { twin: Record<string, MsgTwin | null> };

/**
 * Parses a DeviceTwinUpdate from a device or the cloud and checks twin names and values.
 *
 * @throws TwinError 400 with KubeEdge's reason: not decodable, no `twin` key, bad name, bad value
 */
export function parseTwinUpdate(payload: unknown): TwinUpdate {
  let o: Obj | undefined, head: BaseMessage, twin: Record<string, MsgTwin | null> | undefined;
  try {
    o = obj(decode(payload));
    head = base(o);
    twin = twinMap(o?.twin);
  } catch (err) {
    if (err instanceof ShapeError) throw new TwinError(400, Reason.unmarshal, eventIdOf(payload));
    throw err;
  }
  if (!twin) throw new TwinError(400, Reason.noTwin, head.event_id);
  for (const [name, t] of Object.entries(twin)) {
    if (!isValidTwinName(name)) throw new TwinError(400, Reason.badKey, head.event_id);
    for (const v of [t?.expected?.value, t?.actual?.value]) {
      if (typeof v === "string" && !isValidTwinValue(v)) throw new TwinError(400, Reason.badValue, head.event_id);
    }
  }
  return { ...head, twin };
}

/** Best effort: the `event_id` of a payload that failed to parse, so the error result still carries it. */
function eventIdOf(payload: unknown): string {
  try {
    const o = decode(payload) as Obj;
    return typeof o?.event_id === "string" ? o.event_id : "";
  } catch {
    return "";
  }
}

/**
 * Parses the `{event_id, timestamp}` body of a get request.
 *
 * @throws TwinError 400 when it is not such an object
 */
export function parseBaseMessage(payload: unknown, what: string): BaseMessage {
  try {
    return base(obj(decode(payload)));
  } catch (err) {
    if (err instanceof ShapeError) throw new TwinError(400, `Unmarshal ${what} failed, please check the request`);
    throw err;
  }
}

/** A device state update (DeviceUpdate). */
export type DeviceUpdate = BaseMessage & { state: string; attributes?: Record<string, MsgAttr | null> };

/**
 * Parses a DeviceUpdate (`{event_id, timestamp, state, attributes}`).
 *
 * @throws TwinError 400 when it does not decode
 */
export function parseDeviceUpdate(payload: unknown): DeviceUpdate {
  try {
    const o = obj(decode(payload));
    return { ...base(o), state: str(o?.state) ?? "", attributes: attrMap(o?.attributes) };
  } catch (err) {
    if (err instanceof ShapeError) throw new TwinError(400, "Unmarshal device state update failed, please check the request", eventIdOf(payload));
    throw err;
  }
}

function device(v: unknown): DeviceJson | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const d: DeviceJson = {};
  for (const k of ["id", "name", "description", "state", "last_online"] as const) {
    const s = str(o[k]);
    if (s !== undefined) d[k] = s;
  }
  const attributes = attrMap(o.attributes);
  if (attributes) d.attributes = attributes;
  const twin = twinMap(o.twin);
  if (twin) d.twin = twin;
  return d;
}

function deviceList(v: unknown): DeviceJson[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ShapeError();
  return v.map(device).filter((d): d is DeviceJson => d !== undefined && typeof d.id === "string" && d.id !== "");
}

/** A parsed MembershipUpdate, or a MembershipDetail when `detail` holds the node's full device list. */
export type Membership = BaseMessage & { added: DeviceJson[]; removed: DeviceJson[] };

/**
 * Parses a MembershipUpdate (`added_devices`, `removed_devices`) or a MembershipDetail (`devices`: the full list).
 *
 * @throws TwinError 400 when it does not decode
 */
export function parseMembership(payload: unknown): Membership & { devices?: DeviceJson[] } {
  try {
    const o = obj(decode(payload));
    const m: Membership & { devices?: DeviceJson[] } = { ...base(o), added: deviceList(o?.added_devices), removed: deviceList(o?.removed_devices) };
    if (o && "devices" in o) m.devices = deviceList(o.devices);
    return m;
  } catch (err) {
    if (err instanceof ShapeError) throw new TwinError(400, "Unmarshal membership info failed, please check the request");
    throw err;
  }
}
