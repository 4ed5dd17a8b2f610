/**
 * What reaches DeviceController from cloudhub, classified: hub link events (`node/<n>`) and edge requests with the
 * node prefix (`node/<n>/device/<id>/twin/edge_updated`, `node/<n>/device/<id>/state`, `node/<n>/membership/detail`).
 *
 * @module
 */
import { fromCloudResource, Group, type Message, Op } from "../../model/index.ts";
import { shape } from "../../kube/index.ts";
import type { MsgTwin } from "./types.ts";

/** A classified request. */
export type EdgeRequest =
  | { kind: "connected"; node: string }
  | { kind: "disconnected"; node: string }
  | { kind: "detail"; node: string }
  | { kind: "state"; node: string; device: string }
  | { kind: "edgeUpdated"; node: string; device: string; twin: Record<string, MsgTwin | null> | undefined; problem?: string };

/** Most twins in one report. @default 256 */
const MAX_TWINS = 256;
/** Longest twin value. @default 65536 */
const MAX_VALUE_CHARS = 64 * 1024;

const DEVICE = /^device\/([^/]+)\/(twin\/edge_updated|state)$/;

const side = shape.opt(shape.obj({
  value: shape.opt(shape.str(MAX_VALUE_CHARS)),
  metadata: shape.opt(shape.obj({ timestamp: shape.opt(shape.num) }, { open: true })),
}, { open: true }));
const version = shape.opt(shape.obj({ cloud: shape.opt(shape.num), edge: shape.opt(shape.num) }, { open: true }));

/** The twin map of a DeviceTwinResult: what the cloud reads of it is typed, the rest is ignored. */
const twinShape = shape.rec(shape.str(256), shape.opt(shape.obj({
  expected: side, actual: side, optional: shape.opt(shape.bool), metadata: shape.opt(shape.obj({ type: shape.opt(shape.str(64)) }, { open: true })),
  expected_version: version, actual_version: version,
}, { open: true })), MAX_TWINS);

/**
 * Checks the twin map of an edge report.
 *
 * @returns undefined when it fits, else the problem
 */
export function twinProblem(twin: Record<string, MsgTwin | null>): string | undefined {
  return twinShape(twin, "twin");
}

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
  const twin = twinOf(msg.content);
  const problem = twin ? twinProblem(twin) : "no twin map";
  return { kind: "edgeUpdated", node: parsed.node, device: m[1]!, twin, ...(problem ? { problem } : {}) };
}
