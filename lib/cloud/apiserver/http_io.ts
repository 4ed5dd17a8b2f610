/**
 * Reading requests and writing replies: bodies with a size limit, JSON replies, Status errors, and the decoding of
 * the request body by Content-Type (JSON, YAML, and the protobuf that kubectl's imperative generators
 * send).
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import * as yaml from "js-yaml";
import type { JsonValue } from "../../kube/index.ts";
import { decodeK8sProtobuf } from "./protobuf/index.ts";
import { badRequest, StatusError, unsupportedMediaType } from "./status_error.ts";

/** The content type of JSON replies. */
export const JSON_TYPE = "application/json";
/** What kubectl's typed clients send for imperative creates. */
export const PROTOBUF_TYPE = "application/vnd.kubernetes.protobuf";

/** The media type of a Content-Type header without parameters, lower-cased. */
export function mediaType(header: string | undefined): string {
  return (header ?? "").split(";")[0]!.trim().toLowerCase();
}

/**
 * Reads the whole request body.
 *
 * @param limitBytes the largest body accepted
 * @throws StatusError 413 when the body is larger
 */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new StatusError(413, "RequestEntityTooLarge", `Request entity too large: limit is ${limitBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Decodes an object body by its Content-Type: JSON, YAML, or Kubernetes protobuf.
 *
 * @throws StatusError 400 for text that does not parse, 415 for other media types or protobuf kinds not decoded
 */
export function decodeObject(body: Buffer, contentType: string | undefined): JsonValue {
  const type = mediaType(contentType);
  if (type === PROTOBUF_TYPE) {
    try {
      return decodeK8sProtobuf(new Uint8Array(body.buffer, body.byteOffset, body.length)) as JsonValue;
    } catch (err) {
      throw new StatusError(
        415, "UnsupportedMediaType",
        `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml ` +
          `(${(err as Error).message}; instead of a kubectl generator, try: kubectl create ... --dry-run=client -o yaml | kubectl apply -f -)`,
        undefined, { cause: err },
      );
    }
  }
  if (type === "" || type === JSON_TYPE) return parseJson(body);
  if (type === "application/yaml" || type === "application/apply-patch+yaml") return parseYaml(body);
  throw unsupportedMediaType(type, [JSON_TYPE, "application/yaml", PROTOBUF_TYPE]);
}

/**
 * Parses a JSON body; an empty body is null.
 *
 * @throws StatusError 400 when it is not JSON
 */
export function parseJson(body: Buffer): JsonValue {
  if (body.length === 0) return null;
  try {
    return JSON.parse(body.toString("utf8")) as JsonValue;
  } catch (err) {
    throw badRequest(`the request body is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * Parses a YAML body (JSON is valid YAML).
 *
 * @throws StatusError 400 when it is not YAML
 */
export function parseYaml(body: Buffer): JsonValue {
  try {
    return (yaml.load(body.toString("utf8")) ?? null) as JsonValue;
  } catch (err) {
    throw badRequest(`the request body is not valid YAML: ${(err as Error).message}`);
  }
}

/** Sends a JSON reply; `body` may already be serialised. */
export function sendJson(res: ServerResponse, status: number, body: unknown, contentType = JSON_TYPE): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text), "Cache-Control": "no-cache, private" });
  res.end(text);
}

/** Sends a failure as a `v1 Status`. */
export function sendStatusError(res: ServerResponse, err: StatusError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, err.code, err.toStatus());
}

/** True when the client asked for a `meta.k8s.io` Table (kubectl get in table form). */
export function wantsTable(accept: string | undefined): boolean {
  return !!accept && accept.split(",").some((part) => /;\s*as=Table\b/.test(part) && /;\s*g=meta\.k8s\.io\b/.test(part));
}
