/**
 * Docker's "hijacked" connection: a POST answered with `101 UPGRADED`, after which the socket carries raw stdio in
 * both directions. undici cannot hand over the socket this way, so this uses node:http over the unix socket.
 *
 * @module
 */
import { request } from "node:http";
import type { Socket } from "node:net";
import { RuntimeError } from "./runtime_error.ts";

/** Where and what to post. */
export type HijackRequest = { socketPath: string; path: string; body: unknown; signal?: AbortSignal; timeoutMs: number };

/**
 * Posts `body` as JSON asking for a protocol upgrade and resolves with the raw socket once the engine agrees.
 *
 * @throws RuntimeError `RUNTIME_NOT_FOUND`, `RUNTIME_CONFLICT` or `RUNTIME_REQUEST` when the engine answers without
 *   upgrading, `RUNTIME_UNREACHABLE` when the socket does not answer
 */
export function hijack(req: HijackRequest): Promise<Socket> {
  const payload = JSON.stringify(req.body);
  return new Promise<Socket>((resolve, reject) => {
    const r = request({
      socketPath: req.socketPath,
      agent: false,
      path: req.path,
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(payload),
        Connection: "Upgrade",
        Upgrade: "tcp",
      },
      signal: req.signal,
      timeout: req.timeoutMs,
    });
    r.on("upgrade", (_res, socket, head) => {
      r.setTimeout(0);
      socket.setTimeout(0);
      if (head.length) socket.unshift(head);
      resolve(socket as Socket);
    });
    r.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        let message = text.trim();
        try {
          message = (JSON.parse(text) as { message?: string }).message ?? message;
        } catch {
          // a plain-text answer is already the message
        }
        const code = status === 404 ? "RUNTIME_NOT_FOUND" : status === 409 ? "RUNTIME_CONFLICT" : "RUNTIME_REQUEST";
        reject(new RuntimeError(code, `Cannot attach to "${req.path}": engine answered ${status}: ${message}`, { status }));
      });
    });
    r.on("timeout", () => r.destroy(new Error(`no answer within ${req.timeoutMs} ms`)));
    r.on("error", (err) => {
      reject(new RuntimeError("RUNTIME_UNREACHABLE", `Cannot attach to "${req.path}": ${err.message}`, { cause: err }));
    });
    r.end(payload);
  });
}
