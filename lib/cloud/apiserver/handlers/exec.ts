/**
 * `pods/<name>/exec` over a websocket with the `v5.channel.k8s.io` (or v4) subprotocol (`kubectl exec`): binary
 * frames whose first byte is the stream (0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize, 255 close-stream in v5).
 * The session ends with a Status on stream 3 (Success, or NonZeroExitCode with the code) and close 1000. Every
 * failure after the upgrade goes out the same way, so kubectl prints `error: <message>`. SPDY is not offered.
 *
 * @module
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, type WebSocketServer } from "ws";
import { AsyncQueue } from "../async_queue.ts";
import { badRequest, StatusError } from "../status_error.ts";
import type { ExecSession, PodExecOptions, TerminalSize } from "../types.ts";
import type { ApiContext } from "./context.ts";
import { backendError, notConnected, podTarget } from "./pod_target.ts";

/** The subprotocols served, best first. */
export const EXEC_PROTOCOLS = ["v5.channel.k8s.io", "v4.channel.k8s.io"] as const;

const STDIN = 0, STDOUT = 1, STDERR = 2, ERROR = 3, RESIZE = 4, CLOSE = 255;

function statusFrame(body: object): Buffer {
  return Buffer.concat([Buffer.from([ERROR]), Buffer.from(JSON.stringify(body))]);
}

function failure(err: StatusError): object {
  return { metadata: {}, status: "Failure", message: err.message, reason: err.reason, code: err.code };
}

/** Reads the exec options of the query string. */
export function execOptions(params: URLSearchParams): PodExecOptions {
  const command = params.getAll("command");
  if (command.length === 0) throw badRequest("you must specify at least 1 command");
  const flag = (k: string) => params.get(k) === "true" || params.get(k) === "1";
  return { command, stdin: flag("stdin"), stdout: flag("stdout"), stderr: flag("stderr"), tty: flag("tty") };
}

/**
 * Runs one exec session on an upgraded connection.
 *
 * @param prepare resolves the pod and options; its StatusError is reported on stream 3 after the upgrade
 */
export function serveExec(
  ctx: ApiContext, wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer,
  prepare: () => { target: ReturnType<typeof podTarget>; options: PodExecOptions },
): void {
  wss.handleUpgrade(req, socket, head, (ws) => {
    const v5 = ws.protocol === "v5.channel.k8s.io";
    const abort = new AbortController();
    const stdin = new AsyncQueue<Uint8Array>({ onFull: () => ws.pause(), onDrained: () => ws.resume() });
    const resize = new AsyncQueue<TerminalSize>({ limit: 16 });
    const finish = (status: object) => {
      if (ws.readyState === WebSocket.OPEN) {
        ws.send(statusFrame(status), () => ws.close(1000));
      }
      stdin.end();
      resize.end();
    };
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      const frame = isBinary ? data : Buffer.from(data);
      if (frame.length === 0) return;
      const stream = frame[0], payload = frame.subarray(1);
      if (stream === STDIN) stdin.push(new Uint8Array(payload));
      else if (stream === RESIZE) {
        try {
          const size = JSON.parse(payload.toString("utf8")) as { Width?: number; Height?: number };
          resize.push({ width: Number(size.Width ?? 0), height: Number(size.Height ?? 0) });
        } catch {
          // A malformed resize frame is ignored; the terminal keeps its size.
        }
      } else if (v5 && stream === CLOSE && payload[0] === STDIN) stdin.end();
    });
    ws.on("close", () => {
      abort.abort();
      stdin.end();
      resize.end();
    });
    ws.on("error", () => abort.abort());
    const send = (stream: number) => (chunk: Uint8Array) =>
      new Promise<void>((resolve) => {
        if (ws.readyState !== WebSocket.OPEN) return resolve();
        ws.send(Buffer.concat([Buffer.from([stream]), chunk]), () => resolve());
      });
    const run = async () => {
      const { target, options } = prepare();
      const streams = ctx.podStreams();
      if (!streams) throw notConnected("exec", target.nodeName);
      const session: ExecSession = { resize, stdout: send(STDOUT), stderr: send(STDERR), signal: abort.signal };
      if (options.stdin) session.stdin = stdin;
      try {
        return await streams.exec(target, options, session);
      } catch (err) {
        throw backendError(err);
      }
    };
    run().then(
      ({ exitCode }) => {
        if (exitCode === 0) finish({ metadata: {}, status: "Success" });
        else {
          finish({
            metadata: {}, status: "Failure", message: `command terminated with non-zero exit code: exit status ${exitCode}`,
            reason: "NonZeroExitCode", details: { causes: [{ reason: "ExitCode", message: String(exitCode) }] },
          });
        }
      },
      (err: unknown) => {
        const e = err instanceof StatusError ? err : backendError(err);
        // The path only: the query holds the command, which may carry secrets.
        ctx.log.info("exec failed", { path: (req.url ?? "").split("?")[0], reason: e.reason, message: e.message });
        finish(failure(e));
      },
    );
  });
}
