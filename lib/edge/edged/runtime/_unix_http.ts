/**
 * HTTP over a unix socket with node:http. node:http is used rather than undici because Bun replaces the `undici`
 * module with a partial one of its own (its `Pool.request` resolves to nothing), while node:http with `socketPath`
 * works the same under Node, Bun and Deno.
 *
 * @module
 */
import { Agent, type IncomingMessage, request } from "node:http";

/** One request. `timeoutMs` 0 means no limit (streams such as logs and events). */
export type UnixRequest = {
  method: string;
  path: string;
  headers?: Record<string, string | number>;
  body?: Uint8Array | string;
  signal?: AbortSignal;
  timeoutMs: number;
};

/** A keep-alive client for one socket. */
export class UnixHttpClient {
  readonly socketPath: string;
  readonly #agent: Agent;

  constructor(socketPath: string, maxSockets: number) {
    this.socketPath = socketPath;
    this.#agent = new Agent({ keepAlive: true, maxSockets });
  }

  /**
   * Sends a request and resolves with the response once its head arrives.
   *
   * @throws the socket's error, or the abort reason when `signal` aborts or the time runs out
   */
  send(r: UnixRequest): Promise<IncomingMessage> {
    const signals = [r.signal, r.timeoutMs ? AbortSignal.timeout(r.timeoutMs) : undefined].filter((s): s is AbortSignal => !!s);
    const signal = signals.length ? AbortSignal.any(signals) : undefined;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const headers = { ...r.headers };
      if (r.body !== undefined) headers["content-length"] = typeof r.body === "string" ? Buffer.byteLength(r.body) : r.body.length;
      const req = request({ socketPath: this.socketPath, method: r.method, path: r.path, headers, agent: this.#agent, signal }, resolve);
      req.on("error", (e) => reject(signal?.aborted ? signal.reason : e));
      req.end(r.body);
    });
  }

  /** Closes idle connections. */
  close(): void {
    this.#agent.destroy();
  }
}

/** Reads a whole response body as text. */
export async function readText(res: IncomingMessage): Promise<string> {
  res.setEncoding("utf8");
  let s = "";
  for await (const chunk of res) s += chunk;
  return s;
}
