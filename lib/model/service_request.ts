/**
 * The ServiceBus messages: a cloud user's HTTP request for an app on an edge node, and its response. Our own
 * format (KubeEdge's servicebus uses other fields): group `servicebus`, operation `request`, resource
 * `servicebus/<port>`, sent with `sync: true`; the edge answers with a `response` whose content is a
 * {@link ServiceResponse}, or an `error` with the reason.
 *
 * Bodies travel as text: UTF-8 as is, anything else in base64 (`bodyEncoding`).
 *
 * @module
 */
import { newMessage, type Message } from "./message.ts";
import { toCloudResource } from "./resource_string.ts";

/** Route group of ServiceBus messages; EdgeHub delivers it to module "servicebus". */
export const SERVICE_BUS_GROUP = "servicebus";
/** Operation of a ServiceBus request. */
export const SERVICE_REQUEST_OPERATION = "request";

/** How a body is carried. */
export type BodyEncoding = "utf8" | "base64";

/** An HTTP request for `127.0.0.1:<port>` on the edge. `path` includes the query string. */
export type ServiceRequest = {
  method: string;
  port: number;
  path: string;
  headers: Record<string, string>;
  body: string;
  bodyEncoding: BodyEncoding;
};

/** The app's answer. */
export type ServiceResponse = {
  status: number;
  headers: Record<string, string>;
  body: string;
  bodyEncoding: BodyEncoding;
};

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Carries bytes as UTF-8 text when they are valid UTF-8, else as base64. */
export function encodeBody(bytes: Uint8Array): { body: string; bodyEncoding: BodyEncoding } {
  try {
    return { body: utf8.decode(bytes), bodyEncoding: "utf8" };
  } catch {
    return { body: Buffer.from(bytes).toString("base64"), bodyEncoding: "base64" };
  }
}

/** The bytes of a carried body. */
export function decodeBody(body: string, encoding: BodyEncoding): Buffer {
  return encoding === "base64" ? Buffer.from(body, "base64") : Buffer.from(body, "utf8");
}

/** Builds a ServiceBus request for `node` (cloud-form resource, sync), ready for `bus.sendSync("cloudhub", m)`. */
export function newServiceRequest(node: string, request: ServiceRequest, source = "servicebus"): Message<ServiceRequest> {
  return newMessage({
    source,
    group: SERVICE_BUS_GROUP,
    operation: SERVICE_REQUEST_OPERATION,
    resource: toCloudResource(node, `servicebus/${request.port}`),
    content: request,
    sync: true,
  });
}

/**
 * Checks the content of a ServiceBus request.
 *
 * @throws TypeError naming the first bad field
 */
export function parseServiceRequest(content: unknown): ServiceRequest {
  const c = content as Partial<ServiceRequest> | null;
  if (!c || typeof c !== "object") throw new TypeError("Cannot read service request: content is not an object");
  if (typeof c.method !== "string" || !/^[A-Z]+$/.test(c.method)) throw new TypeError(`Cannot read service request: bad method ${JSON.stringify(c.method)}`);
  if (!Number.isInteger(c.port) || c.port! < 1 || c.port! > 65535) throw new TypeError(`Cannot read service request: bad port ${JSON.stringify(c.port)}`);
  if (typeof c.path !== "string" || !c.path.startsWith("/")) throw new TypeError(`Cannot read service request: path must start with "/"`);
  const headers = c.headers ?? {};
  if (typeof headers !== "object" || Object.values(headers).some((v) => typeof v !== "string")) {
    throw new TypeError("Cannot read service request: headers must map names to strings");
  }
  const bodyEncoding = c.bodyEncoding ?? "utf8";
  if (bodyEncoding !== "utf8" && bodyEncoding !== "base64") throw new TypeError(`Cannot read service request: bad bodyEncoding ${JSON.stringify(bodyEncoding)}`);
  return { method: c.method, port: c.port!, path: c.path, headers, body: typeof c.body === "string" ? c.body : "", bodyEncoding };
}

const HOP_HEADERS = new Set([
  "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
  "transfer-encoding", "upgrade", "host", "content-length", "http2-settings",
]);

/**
 * Copies end-to-end headers for a ServiceBus request or response: one string per name (repeated values joined with
 * ", "), without hop headers (RFC 9110 §7.6.1), the ones the next hop recomputes, and the names in `drop`.
 */
export function endToEndHeaders(headers: Record<string, string | string[] | undefined>, drop: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  const dropped = new Set(drop);
  for (const [k, v] of Object.entries(headers)) {
    const name = k.toLowerCase();
    if (v === undefined || HOP_HEADERS.has(name) || dropped.has(name)) continue;
    out[name] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}
