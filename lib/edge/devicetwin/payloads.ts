/**
 * Builders for what DeviceTwin publishes and sends, with KubeEdge's JSON keys in KubeEdge's order:
 * the base `{event_id, timestamp}` first, then the body.
 *
 * @module
 */
import { DELETED } from "./twin_model.ts";
import type { TwinDoc } from "./apply_twin_update.ts";
import type { BaseMessage, DeviceJson, MsgAttr, MsgTwin } from "./types.ts";

/** A base message with a fresh event id, as KubeEdge stamps messages it starts itself. */
export function freshBase(now = Date.now()): BaseMessage {
  return { event_id: crypto.randomUUID(), timestamp: now };
}

/** DeviceTwinResult. */
export function twinResult(base: BaseMessage, twin: Record<string, MsgTwin | null>): string {
  return JSON.stringify({ event_id: base.event_id, timestamp: base.timestamp, twin });
}

/** Result (error): `{event_id, timestamp, code, reason}`. */
export function errorResult(eventId: string, code: number, reason: string, now = Date.now()): string {
  return JSON.stringify({ event_id: eventId, timestamp: now, code, reason });
}

/** DeviceTwinDocument. */
export function twinDocument(base: BaseMessage, twin: Record<string, TwinDoc>): string {
  return JSON.stringify({ event_id: base.event_id, timestamp: base.timestamp, twin });
}

/** DeviceTwinDelta. */
export function twinDeltaPayload(base: BaseMessage, body: { twin: Record<string, MsgTwin>; delta: Record<string, string> }): string {
  return JSON.stringify({ event_id: base.event_id, timestamp: base.timestamp, twin: body.twin, delta: body.delta });
}

/** DeviceMsg body: `{event_id, timestamp, device: {name, state, last_online}}` (empty fields left out, as KubeEdge does). */
export function deviceMsg(base: BaseMessage, d: { name: string; state: string; lastOnline: string }): { event_id: string; timestamp: number; device: DeviceJson } {
  const device: DeviceJson = {};
  if (d.name) device.name = d.name;
  if (d.state) device.state = d.state;
  if (d.lastOnline) device.last_online = d.lastOnline;
  return { event_id: base.event_id, timestamp: base.timestamp, device };
}

/** A device in KubeEdge's key order, with only the fields it has. */
export function deviceJson(d: DeviceJson): DeviceJson {
  const out: DeviceJson = {};
  for (const k of ["id", "name", "description", "state", "last_online"] as const) if (d[k]) out[k] = d[k];
  if (d.attributes && Object.keys(d.attributes).length) out.attributes = d.attributes;
  if (d.twin && Object.keys(d.twin).length) out.twin = d.twin;
  return out;
}

/** A device as `membership/updated` shows it: twins without versions, deleted twins as null. */
export function memberDevice(d: DeviceJson): DeviceJson {
  if (!d.twin) return deviceJson(d);
  const twin: Record<string, MsgTwin | null> = {};
  for (const [k, t] of Object.entries(d.twin)) {
    if (!t || t.metadata?.type === DELETED) twin[k] = null;
    else {
      const { expected_version: _e, actual_version: _a, ...rest } = t;
      twin[k] = rest;
    }
  }
  return deviceJson({ ...d, twin });
}

/** MembershipUpdate; a list that is absent is `null`, as KubeEdge writes it. */
export function membershipUpdate(base: BaseMessage, added: DeviceJson[] | null, removed: DeviceJson[] | null): string {
  return JSON.stringify({ event_id: base.event_id, timestamp: base.timestamp, added_devices: added, removed_devices: removed });
}

/** MembershipGetResult: the devices without twins. */
export function membershipGetResult(base: BaseMessage, devices: DeviceJson[]): string {
  return JSON.stringify({ event_id: base.event_id, timestamp: base.timestamp, devices: devices.map((d) => deviceJson({ ...d, twin: undefined })) });
}

/** DeviceAttrUpdate, published on `$hw/events/device/<id>/updated`. */
export function attrUpdate(base: BaseMessage, attributes: Record<string, MsgAttr | null>): string {
  return JSON.stringify({ event_id: base.event_id, timestamp: base.timestamp, attributes });
}

const pad = (n: number) => String(n).padStart(2, "0");

/** Local time as KubeEdge writes `last_online`: `2006-01-02 15:04:05`. */
export function lastOnlineTime(d = new Date()): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
