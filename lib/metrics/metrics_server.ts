/**
 * One small HTTP server per process for Prometheus and for probes: `GET /metrics` (text exposition format),
 * `GET /healthz` (the process answers: alive) and `GET /readyz` (every readiness check passes; `?verbose` lists them,
 * as kube-apiserver's does). Plain HTTP on purpose: probes and scrapers on the same host or pod network use it, and
 * the default address is loopback. Nothing a client sends is read beyond the request line.
 *
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import type { Logger } from "../log/index.ts";

/** A named readiness check: true when ready, or a reason why not. */
export type ReadyCheck = { name: string; check: () => boolean | string | Promise<boolean | string> };

/** Where and what to serve. */
export type MetricsServerOptions = {
  host: string;
  /** 0 picks a free port. */
  port: number;
  registry: Registry;
  ready: ReadyCheck[];
  log: Logger;
};

/** A running server. */
export type MetricsServer = { url: string; close(): Promise<void> };

/** A check that takes longer than this counts as failed: a probe must not hang on a stuck dependency. */
const CHECK_TIMEOUT_MS = 3000;

async function runCheck(c: ReadyCheck): Promise<string | true> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<string>((r) => (timer = setTimeout(() => r(`no answer in ${CHECK_TIMEOUT_MS} ms`), CHECK_TIMEOUT_MS)));
    const v = await Promise.race([Promise.resolve().then(c.check), timeout]);
    return v === true ? true : typeof v === "string" ? v : "not ready";
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    clearTimeout(timer);
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, o: MetricsServerOptions): Promise<void> {
  const url = new URL(req.url ?? "/", "http://x");
  const text = (code: number, body: string, type = "text/plain; charset=utf-8") => {
    res.writeHead(code, { "content-type": type, "cache-control": "no-store" });
    res.end(body);
  };
  if (req.method !== "GET" && req.method !== "HEAD") return text(405, "method not allowed\n");
  if (url.pathname === "/metrics") return text(200, await o.registry.metrics(), o.registry.contentType);
  if (url.pathname === "/healthz" || url.pathname === "/livez") return text(200, "ok\n");
  if (url.pathname === "/readyz") {
    const results = await Promise.all(o.ready.map(async (c) => ({ name: c.name, result: await runCheck(c) })));
    const failed = results.filter((r) => r.result !== true);
    const lines = results.map((r) => (r.result === true ? `[+]${r.name} ok` : `[-]${r.name} failed: ${r.result}`));
    if (failed.length) return text(503, `${lines.join("\n")}\nreadyz check failed\n`);
    return text(200, url.searchParams.has("verbose") ? `${lines.join("\n")}\nreadyz check passed\n` : "ok\n");
  }
  return text(404, "not found: try /metrics, /healthz or /readyz\n");
}

/**
 * Starts the server. A port already in use is reported in the rejection, so the caller can log it and run on
 * without metrics rather than fail the whole process.
 *
 * @throws Error when the address cannot be bound
 */
export function startMetricsServer(o: MetricsServerOptions): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    handle(req, res, o).catch((e) => {
      o.log.warn("metrics request failed", { path: req.url, error: e instanceof Error ? e.message : String(e) });
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  // bounded: a scraper or probe needs neither long headers nor idle keep-alive connections
  server.headersTimeout = 5000;
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = 5000;
  server.maxHeadersCount = 50;
  server.maxConnections = 64;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => {
      server.off("error", reject);
      server.on("error", (e) => o.log.warn("metrics server error", { error: e.message }));
      const a = server.address() as { port: number };
      const host = o.host.includes(":") ? `[${o.host}]` : o.host;
      resolve({
        url: `http://${host}:${a.port}`,
        close: () => new Promise<void>((r) => {
          server.closeAllConnections?.();
          server.close(() => r());
        }),
      });
    });
  });
}
