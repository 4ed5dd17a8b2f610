/**
 * The cloud end of ServiceBus: an HTTPS handler that lets a cloud user call an app on an edge node by node name,
 * `ANY /proxy/<node>/<port>/<path>?<query>` with `Authorization: Bearer <token>`. The request travels to the node as
 * a ServiceBus message through CloudHub; the app's answer comes back as the HTTP response.
 *
 * Statuses of its own: 401 bad or missing token, 400 bad node or port, 413 body too large, 503 node not linked,
 * 502 the edge refused the request, 504 no answer in time. Anything else is the app's (or the edge's 502/504).
 *
 * @module
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Bus, BusError } from "../../core/index.ts";
import { createLogger, type Logger } from "../../log/index.ts";
import {
  decodeBody,
  encodeBody,
  endToEndHeaders,
  ModuleName,
  newServiceRequest,
  type ServiceResponse,
  Source,
} from "../../model/index.ts";

/** Options of {@link createServiceBusProxy}. */
export type ServiceBusProxyOptions = {
  /** The cloud bus with CloudHub registered. */
  bus: Bus;
  /** The bearer token callers must present. Never logged. */
  token: string;
  /** Path prefix served. @default "/proxy" */
  prefix?: string;
  /** How long to wait for the node's answer. @default 35000 ms (a little over the edge's 30 s app timeout) */
  timeoutMs?: number;
  /** Largest request body accepted. @default 8388608 bytes (8 MiB) */
  maxBodyBytes?: number;
  log?: Logger;
};

/** A Node HTTP handler. @returns false when the path is not under the prefix (the caller may serve it) */
export type ProxyHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

const DEFAULTS = { prefix: "/proxy", timeoutMs: 35_000, maxBodyBytes: 8 * 1024 * 1024 };
const NODE = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/**
 * Builds the handler; mount it on any HTTPS server (for example CloudHub's `httpHandler`).
 *
 * @throws TypeError when `token` is empty
 * @example Serve the proxy on cloudhub's port
 * ```ts
 * const proxy = createServiceBusProxy({ bus, token: process.env.SERVICEBUS_TOKEN! });
 * bus.register(new CloudHub({ address, tls, httpHandler: proxy }));
 * // curl -H "Authorization: Bearer $TOKEN" https://cloud:10000/proxy/edge-1/8080/healthz
 * ```
 */
export function createServiceBusProxy(options: ServiceBusProxyOptions): ProxyHandler {
  if (!options.token) throw new TypeError("Cannot create servicebus proxy: token is empty");
  const o = { ...DEFAULTS, ...options };
  const log = options.log ?? createLogger("servicebus");
  const want = createHash("sha256").update(o.token).digest();
  const authorized = (header: string | undefined) => {
    const m = /^Bearer\s+(.+)$/i.exec(header ?? "");
    return !!m && timingSafeEqual(createHash("sha256").update(m[1]).digest(), want);
  };

  return async (req, res) => {
    const url = new URL(req.url ?? "/", "https://cloud");
    if (!url.pathname.startsWith(`${o.prefix}/`)) return false;
    if (!authorized(req.headers.authorization)) {
      res.writeHead(401, { "www-authenticate": "Bearer", "content-type": "text/plain" }).end("missing or wrong bearer token\n");
      return true;
    }
    const [node, portText, ...rest] = url.pathname.slice(o.prefix.length + 1).split("/");
    const port = Number(portText);
    if (!NODE.test(node ?? "") || !Number.isInteger(port) || port < 1 || port > 65535) {
      res.writeHead(400, { "content-type": "text/plain" }).end(`expected ${o.prefix}/<node>/<port>/<path>\n`);
      return true;
    }
    const body = await readBody(req, o.maxBodyBytes);
    if (!body) {
      res.writeHead(413, { "content-type": "text/plain" }).end(`request body over ${o.maxBodyBytes} bytes\n`);
      return true;
    }
    const msg = newServiceRequest(node, {
      method: (req.method ?? "GET").toUpperCase(),
      port,
      path: `/${rest.join("/")}${url.search}`,
      headers: endToEndHeaders(req.headers, ["authorization"]),
      ...encodeBody(body),
    }, Source.serviceBus);
    let reply;
    try {
      reply = await o.bus.sendSync(ModuleName.cloudHub, msg, { timeoutMs: o.timeoutMs });
    } catch (err) {
      const timeout = err instanceof BusError && err.code === "BUS_TIMEOUT";
      log.warn("servicebus request failed", { node, port, error: err });
      res.writeHead(timeout ? 504 : 502, { "content-type": "text/plain" }).end(timeout ? `no answer from node "${node}" within ${o.timeoutMs} ms\n` : "cannot send request\n");
      return true;
    }
    if (reply.route.operation !== "response") {
      // CloudHub answers itself when the node is not linked; anything else is the edge refusing the request.
      const status = reply.route.source === Source.cloudHub ? 503 : 502;
      res.writeHead(status, { "content-type": "text/plain" }).end(`${String(reply.content)}\n`);
      return true;
    }
    const answer = reply.content as ServiceResponse;
    res.writeHead(answer.status, endToEndHeaders(answer.headers)).end(decodeBody(answer.body, answer.bodyEncoding));
    return true;
  };
}

/** Reads a request body up to `max` bytes; a larger one is read to its end and discarded. @returns undefined when too large */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
    });
    req.once("end", () => resolve(size <= max ? Buffer.concat(chunks) : undefined));
    req.once("error", reject);
  });
}
