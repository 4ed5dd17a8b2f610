/**
 * The HTTPS front of the embedded API: bearer-token authentication and authorization (`authn.ts`; 401 without a
 * credential; `/version` and the health checks are public, as on a real cluster), the non-resource endpoints (version, health, discovery, OpenAPI), and
 * dispatch of resource requests to the handlers. Exec arrives as a websocket upgrade.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { authenticate, authorize } from "./authn.ts";
import {
  aggregatedContentType, aggregatedDiscovery, aggregatedVersionAccepted, apiGroupDocument, apiGroupList, apiResourceList, apiVersions,
} from "./discovery.ts";
import { execOptions, makeHandlers, operationOf, podTarget, serveExec, EXEC_PROTOCOLS, type ApiContext, type ResourceRequest } from "./handlers/index.ts";
import { sendJson, sendStatusError } from "./http_io.ts";
import { METRICS_GROUP, metricsDocument } from "./metrics_api.ts";
import { buildOpenApi, type OpenApiDocs } from "./openapi.ts";
import { encodeOpenApiV2, OPENAPI_V2_PROTOBUF, openApiV2 } from "./openapi_v2.ts";
import { parseRoute, type ResourceRoute } from "./route.ts";
import { badRequest, internalError, notFound, StatusError, unauthorized } from "./status_error.ts";

/** TLS material as PEM text. */
export type TlsPem = { cert: string; key: string; ca?: string };

/** What `/version` reports: minor 32 makes the kubectl dispatcher pick kubectl 1.32. */
export const VERSION_INFO = {
  major: "1", minor: "32", gitVersion: "v1.32.4", gitCommit: "0000000000000000000000000000000000000000", gitTreeState: "clean",
  buildDate: "2025-01-01T00:00:00Z", goVersion: "go1.23.4", compiler: "gc", platform: `linux/${process.arch === "x64" ? "amd64" : process.arch}`,
};

/** The 404 of a path that names nothing served, worded as a real apiserver words it. */
function notServed(): StatusError {
  return new StatusError(404, "NotFound", "the server could not find the requested resource", {});
}

/** The stored nodes and pods that metrics documents are checked against. */
function metricsObjects(ctx: ApiContext) {
  return {
    node: (name: string) => ctx.storage.get("nodes", "", name)?.object,
    pod: (namespace: string, name: string) => ctx.storage.get("pods", namespace, name)?.object,
    nodeInfo: ctx.registry.lookup("", "v1", "nodes")!,
    podInfo: ctx.registry.lookup("", "v1", "pods")!,
  };
}

const PUBLIC_PATHS = new Set(["/version", "/healthz", "/readyz", "/livez"]);

/** Options of {@link createApiHttpsServer}. */
export type HttpsServerOptions = { tls: TlsPem; token: string; ready: () => boolean };

/** Creates the HTTPS server (not listening yet) serving the API of `ctx`. */
export function createApiHttpsServer(ctx: ApiContext, options: HttpsServerOptions): Server {
  const handlers = makeHandlers();
  let openapi: { generation: number; docs: OpenApiDocs } | undefined;
  const openApiDocs = () => {
    if (!openapi || openapi.generation !== ctx.registry.generation) openapi = { generation: ctx.registry.generation, docs: buildOpenApi(ctx.registry) };
    return openapi.docs;
  };
  let v2: { docs: OpenApiDocs; json: string; protobuf: Uint8Array } | undefined;
  const openApiV2Cached = () => {
    const docs = openApiDocs();
    if (v2?.docs !== docs) {
      const doc = openApiV2(docs);
      v2 = { docs, json: JSON.stringify(doc), protobuf: encodeOpenApiV2(doc) };
    }
    return v2;
  };
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => EXEC_PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });

  const resourceRequest = (req: IncomingMessage, res: ServerResponse, url: URL, route: ResourceRoute): ResourceRequest => {
    const info = ctx.registry.lookup(route.group, route.version, route.resource);
    if (!info || (!info.namespaced && route.namespace !== undefined)) throw notServed();
    if (info.namespaced && route.name !== undefined && route.namespace === undefined) {
      throw notFound({ group: route.group, resource: route.resource }, route.name);
    }
    return { req, res, url, route, info, namespace: route.namespace ?? "", name: route.name ?? "" };
  };

  const serve = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const route = parseRoute(url.pathname);
    const method = req.method ?? "GET";
    const accept = req.headers.accept;
    switch (route.type) {
      case "version":
        return sendJson(res, 200, VERSION_INFO);
      case "health": {
        const ok = route.check !== "readyz" || options.ready();
        res.writeHead(ok ? 200 : 500, { "Content-Type": "text/plain; charset=utf-8" });
        res.end(ok ? "ok" : "[-]startup not finished\nreadyz check failed");
        return;
      }
      case "apiVersions":
      case "apiGroups": {
        const v = aggregatedVersionAccepted(accept);
        if (v) return sendJson(res, 200, aggregatedDiscovery(ctx.registry, route.type === "apiVersions", v), aggregatedContentType(v));
        const host = req.headers.host ?? "127.0.0.1";
        return sendJson(res, 200, route.type === "apiVersions" ? apiVersions(host) : apiGroupList(ctx.registry));
      }
      case "apiGroup": {
        const doc = apiGroupDocument(ctx.registry, route.group);
        if (!doc) throw notServed();
        return sendJson(res, 200, doc);
      }
      case "resourceList": {
        const doc = apiResourceList(ctx.registry, route.group, route.version);
        if (!doc) throw notServed();
        return sendJson(res, 200, doc);
      }
      case "openapiIndex":
        return sendJson(res, 200, openApiDocs().index);
      case "openapiV2": {
        const v2 = openApiV2Cached();
        if (!(req.headers.accept ?? "").includes("proto-openapi.spec.v2")) return sendJson(res, 200, v2.json);
        res.writeHead(200, { "Content-Type": OPENAPI_V2_PROTOBUF, "Content-Length": v2.protobuf.length, "Cache-Control": "no-cache, private" });
        return res.end(v2.protobuf);
      }
      case "openapiDoc": {
        const doc = openApiDocs().docs.get(route.group ? `apis/${route.group}/${route.version}` : `api/${route.version}`);
        if (!doc) throw notServed();
        return sendJson(res, 200, doc);
      }
      case "resource": {
        const usage = route.group === METRICS_GROUP ? ctx.resourceUsage() : undefined;
        if (usage) return sendJson(res, 200, metricsDocument(method, route, url.searchParams, usage, metricsObjects(ctx)));
        const r = resourceRequest(req, res, url, route);
        if (route.subresource === "exec") throw badRequest("Upgrade request required: exec is served over a websocket (v5.channel.k8s.io); SPDY is not supported");
        const watch = url.searchParams.get("watch");
        const op = operationOf(method, route, r.info, watch === "true" || watch === "1");
        return handlers[op](ctx, r);
      }
      default:
        throw notServed();
    }
  };

  const server = createServer({ cert: options.tls.cert, key: options.tls.key, ca: options.tls.ca }, (req, res) => {
    const url = new URL(req.url ?? "/", "https://apiserver");
    const isPublic = PUBLIC_PATHS.has(url.pathname) && req.method === "GET";
    const identity = isPublic ? undefined : authenticate(ctx, req.headers.authorization, options.token);
    if (!isPublic && !identity) {
      req.resume();
      sendStatusError(res, unauthorized());
      return;
    }
    const watch = url.searchParams.get("watch");
    const denied = identity && authorize(identity, req.method ?? "GET", parseRoute(url.pathname), watch === "true" || watch === "1");
    if (denied) {
      req.resume();
      sendStatusError(res, denied);
      return;
    }
    serve(req, res, url).catch((err: unknown) => {
      const status = err instanceof StatusError ? err : internalError(`${req.method} ${url.pathname}`, err);
      if (status.code === 500) ctx.log.error("request failed", { method: req.method, path: url.pathname, err });
      else if (status.code > 500) ctx.log.warn("request failed", { method: req.method, path: url.pathname, message: status.message });
      else if (ctx.log.enabled("debug")) ctx.log.debug("request refused", { method: req.method, path: url.pathname, code: status.code, reason: status.reason });
      req.resume();
      sendStatusError(res, status);
    });
  });

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const reject = (err: StatusError) => {
      const body = JSON.stringify(err.toStatus());
      socket.end(`HTTP/1.1 ${err.code} ${err.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    };
    socket.on("error", () => socket.destroy());
    const url = new URL(req.url ?? "/", "https://apiserver");
    const identity = authenticate(ctx, req.headers.authorization, options.token);
    if (!identity) return reject(unauthorized());
    const route = parseRoute(url.pathname);
    const denied = authorize(identity, "POST", route, false);
    if (denied) return reject(denied);
    if (route.type !== "resource" || route.subresource !== "exec" || route.resource !== "pods" || route.group !== "") {
      return reject(notServed());
    }
    if ((req.headers.upgrade ?? "").toLowerCase() !== "websocket") {
      return reject(badRequest("SPDY is not supported by this server: use kubectl 1.30 or newer, which execs over websockets"));
    }
    const info = ctx.registry.lookup("", "v1", "pods")!;
    serveExec(ctx, wss, req, socket, head, () => {
      const pod = ctx.service.get(info, route.namespace ?? "", route.name ?? "").object;
      return { target: podTarget(pod, url.searchParams.get("container")), options: execOptions(url.searchParams) };
    });
  });

  // Exec sessions left the server's connection list at the upgrade: end them with the server.
  server.on("close", () => {
    for (const ws of wss.clients) ws.terminate();
    wss.close();
  });

  // Longer than client idle timeouts (Go: 90 s), so clients close idle connections first and never reuse a dead one.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  server.requestTimeout = 0;
  return server;
}
