/**
 * What reaches DeviceController from cloudhub, classified: hub link events (`node/<n>`) and edge requests with the
 * node prefix (`node/<n>/device/<id>/twin/edge_updated`, `node/<n>/device/<id>/state`, `node/<n>/membership/detail`).
 *
 * @module
 */
import { fromCloudResource, Group, type Message, Op } from "../../model/index.ts";
import type { MsgTwin } from "./types.ts";

/** A classified request. */
export type EdgeRequest =
  | { kind: "connected"; node: string }
  | { kind: "disconnected"; node: string }
  | { kind: "detail"; node: string }
  | { kind: "state"; node: string; device: string }
  | { kind: "edgeUpdated"; node: string; device: string; twin: Record<string, MsgTwin | null> | undefined };

const DEVICE = /^device\/([^/]+)\/(twin\/edge_updated|state)$/;

/** The twin map of a DeviceTwinResult (object or JSON text), or undefined when the body has none. */
function twinOf(content: unknown): Record<string, MsgTwin | null> | undefined {
  let body = content;
  if (typeof body === "string") {
    try {
      body = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const twin = (body as { twin?: unknown } | null | undefined)?.twin;
  return twin && typeof twin === "object" && !Array.isArray(twin) ? (twin as Record<string, MsgTwin | null>) : undefined;
}

/** Classifies a message. @returns undefined for one DeviceController does not handle */
export function routeRequest(msg: Message): EdgeRequest | undefined {
  const { group, operation, resource } = msg.route;
  if (group === Group.hub) {
    const node = /^node\/([^/]+)$/.exec(resource)?.[1];
    if (!node || (operation !== Op.connected && operation !== Op.disconnected)) return undefined;
    return operation === Op.connected ? { kind: "connected", node } : { kind: "disconnected", node };
  }
  let parsed: { node: string; resource: string };
  try {
    parsed = fromCloudResource(resource);
  } catch {
    return undefined;
  }
  if (parsed.resource === "membership/detail") return { kind: "detail", node: parsed.node };
  const m = DEVICE.exec(parsed.resource);
  if (!m) return undefined;
  if (m[2] === "state") return { kind: "state", node: parsed.node, device: m[1]! };
  return { kind: "edgeUpdated", node: parsed.node, device: m[1]!, twin: twinOf(msg.content) };
}
