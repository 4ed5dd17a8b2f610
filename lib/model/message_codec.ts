/**
 * JSON encoding of {@link Message} for the wire. Encoding writes KubeEdge's key order (header, route, content) so the
 * KubeEdge's example message round-trips byte for byte; decoding accepts v1.0 (all keys present, binary frames) and later
 * variants (omitempty keys, `type`, `destination`) and rejects anything that is not a message with a clear reason.
 *
 * @module
 */
import type { Message, MessageHeader, MessageRoute } from "./message.ts";

/** A frame that is not a valid message. `code` is stable for counters and tests. */
export class MessageFormatError extends Error {
  readonly code: "MSG_NOT_JSON" | "MSG_BAD_SHAPE";
  constructor(code: MessageFormatError["code"], message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "MessageFormatError";
    this.code = code;
  }
}

/** Encodes a message as compact JSON in KubeEdge's key order. */
export function encodeMessage(m: Message): string {
  const h = m.header;
  const header: MessageHeader = {
    msg_id: h.msg_id,
    parent_msg_id: h.parent_msg_id,
    timestamp: h.timestamp,
    resourceversion: h.resourceversion,
    sync: h.sync,
  };
  if (h.type !== undefined) header.type = h.type;
  const r = m.route;
  const route = { source: r.source } as MessageRoute;
  if (r.destination !== undefined) route.destination = r.destination;
  route.group = r.group;
  route.operation = r.operation;
  route.resource = r.resource;
  return JSON.stringify({ header, route, content: m.content === undefined ? null : m.content });
}

const decoder = new TextDecoder("utf-8", { fatal: true });

function str(v: unknown, where: string, optional: boolean): string {
  if (v === undefined || v === null) {
    if (optional) return "";
    throw new MessageFormatError("MSG_BAD_SHAPE", `Cannot decode message: ${where} is missing`);
  }
  if (typeof v !== "string") throw new MessageFormatError("MSG_BAD_SHAPE", `Cannot decode message: ${where} is not a string`);
  return v;
}

/**
 * Decodes one frame (text, or bytes as KubeEdge v1.0 sent them).
 *
 * @throws MessageFormatError when the frame is not JSON or lacks `header.msg_id`, `route.operation` or `route.resource`
 */
export function decodeMessage(frame: string | Uint8Array): Message {
  let raw: unknown;
  try {
    raw = JSON.parse(typeof frame === "string" ? frame : decoder.decode(frame));
  } catch (cause) {
    throw new MessageFormatError("MSG_NOT_JSON", "Cannot decode message: frame is not UTF-8 JSON", { cause });
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new MessageFormatError("MSG_BAD_SHAPE", "Cannot decode message: frame is not a JSON object");
  }
  const o = raw as Record<string, unknown>;
  const h = (o.header ?? {}) as Record<string, unknown>;
  const r = (o.route ?? {}) as Record<string, unknown>;
  if (typeof h !== "object" || typeof r !== "object") {
    throw new MessageFormatError("MSG_BAD_SHAPE", "Cannot decode message: header or route is not an object");
  }
  const ts = h.timestamp ?? 0;
  if (typeof ts !== "number") throw new MessageFormatError("MSG_BAD_SHAPE", "Cannot decode message: header.timestamp is not a number");
  const header: MessageHeader = {
    msg_id: str(h.msg_id, "header.msg_id", false),
    parent_msg_id: str(h.parent_msg_id, "header.parent_msg_id", true),
    timestamp: ts,
    resourceversion: str(h.resourceversion, "header.resourceversion", true),
    sync: h.sync === true,
  };
  if (typeof h.type === "string") header.type = h.type;
  const route: MessageRoute = {
    source: str(r.source, "route.source", true),
    group: str(r.group, "route.group", true),
    operation: str(r.operation, "route.operation", false),
    resource: str(r.resource, "route.resource", false),
  };
  if (typeof r.destination === "string") route.destination = r.destination;
  return { header, route, content: o.content ?? null };
}
