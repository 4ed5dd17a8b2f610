/**
 * Performs a ServiceBus request against an app on 127.0.0.1 with undici and turns the outcome into a
 * {@link ServiceResponse}: the app's answer, or a synthesized 502 (cannot connect, body too large) or 504 (timeout).
 *
 * @module
 */
import { errors, request } from "undici";
import { decodeBody, encodeBody, endToEndHeaders, type ServiceRequest, type ServiceResponse } from "../../model/index.ts";

/** Limits of one forwarded request. */
export type ForwardLimits = { timeoutMs: number; maxResponseBytes: number };

function synthesized(status: number, text: string): ServiceResponse {
  return { status, headers: { "content-type": "text/plain; charset=utf-8" }, body: `${text}\n`, bodyEncoding: "utf8" };
}

/** Sends `req` to `127.0.0.1:<port><path>` and reads the whole answer. */
export async function forwardHttp(req: ServiceRequest, limits: ForwardLimits): Promise<ServiceResponse> {
  const url = `http://127.0.0.1:${req.port}${req.path}`;
  const body = req.method === "GET" || req.method === "HEAD" ? undefined : decodeBody(req.body, req.bodyEncoding);
  try {
    const res = await request(url, {
      method: req.method as "GET",
      headers: endToEndHeaders(req.headers),
      body,
      headersTimeout: limits.timeoutMs,
      bodyTimeout: limits.timeoutMs,
      signal: AbortSignal.timeout(limits.timeoutMs),
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > limits.maxResponseBytes) {
        res.body.destroy();
        return synthesized(502, `Cannot relay response of 127.0.0.1:${req.port}: body over ${limits.maxResponseBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    return { status: res.statusCode, headers: endToEndHeaders(res.headers), ...encodeBody(Buffer.concat(chunks)) };
  } catch (err) {
    const e = err as Error & { code?: string };
    const timedOut = e.name === "TimeoutError" || e instanceof errors.HeadersTimeoutError || e instanceof errors.BodyTimeoutError;
    if (timedOut) return synthesized(504, `Cannot reach 127.0.0.1:${req.port}: no answer within ${limits.timeoutMs} ms`);
    return synthesized(502, `Cannot reach 127.0.0.1:${req.port}: ${e.code ?? e.message}`);
  }
}
