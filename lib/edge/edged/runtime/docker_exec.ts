/**
 * An exec session over the Engine API: create the exec, start it on a hijacked connection, split its output, and
 * read its exit code when the connection ends.
 *
 * @module
 */
import type { Socket } from "node:net";
import { PassThrough, Writable } from "node:stream";
import { hijack } from "./_hijack.ts";
import { StdioDemuxer } from "./stdio_demux.ts";
import type { ExecOptions, ExecSession } from "./types.ts";

/** The slice of the Docker client an exec needs. */
export type ExecDeps = {
  socketPath: string;
  apiPath(path: string): Promise<string>;
  call<T>(method: "GET" | "POST", path: string, body?: unknown, signal?: AbortSignal): Promise<T>;
  requestTimeoutMs: number;
};

const EXIT_POLL_MS = 20;
const EXIT_POLL_LIMIT = 250;

/**
 * Starts `options.command` in container `id`.
 *
 * @throws RuntimeError from the engine (`RUNTIME_NOT_FOUND` for an unknown container, `RUNTIME_CONFLICT` when it is
 *   not running)
 */
export async function startExec(deps: ExecDeps, id: string, options: ExecOptions): Promise<ExecSession> {
  const tty = options.tty ?? false;
  const created = await deps.call<{ Id: string }>("POST", `/containers/${encodeURIComponent(id)}/exec`, {
    AttachStdin: options.stdin ?? false,
    AttachStdout: true,
    AttachStderr: true,
    Tty: tty,
    Cmd: options.command,
    Env: options.env,
    User: options.user,
  }, options.signal);
  const execId = created.Id;
  const socket = await hijack({
    socketPath: deps.socketPath,
    path: await deps.apiPath(`/exec/${execId}/start`),
    body: { Detach: false, Tty: tty },
    signal: options.signal,
    timeoutMs: deps.requestTimeoutMs,
  });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  pumpOutput(socket, tty, stdout, stderr);
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  const exit = closed.then(() => waitExitCode(deps, execId));
  // a caller that only awaits output must not see an unhandled rejection from the exit lookup
  exit.catch(() => {});
  return {
    stdout,
    stderr,
    stdin: options.stdin ? stdinWriter(socket) : null,
    resize: async (width, height) => {
      await deps.call("POST", `/exec/${execId}/resize?h=${Math.round(height)}&w=${Math.round(width)}`);
    },
    exit,
    close: () => socket.destroy(),
  };
}

function pumpOutput(socket: Socket, tty: boolean, stdout: PassThrough, stderr: PassThrough): void {
  const demux = tty ? undefined : new StdioDemuxer();
  const write = (target: PassThrough, data: Uint8Array) => {
    if (!target.write(data)) {
      socket.pause();
      target.once("drain", () => socket.resume());
    }
  };
  socket.on("data", (chunk: Buffer) => {
    if (!demux) return write(stdout, chunk);
    for (const f of demux.push(chunk)) write(f.stream === 2 ? stderr : stdout, f.data);
  });
  const finish = () => {
    stdout.end();
    stderr.end();
  };
  socket.once("end", finish);
  socket.once("close", finish);
  socket.on("error", (err) => {
    stdout.destroy(err);
    stderr.destroy(err);
  });
}

function stdinWriter(socket: Socket): Writable {
  return new Writable({
    write(chunk, _enc, cb) {
      if (socket.destroyed) return cb(new Error("Cannot write to exec stdin: connection is closed"));
      socket.write(chunk, cb);
    },
    // the engine closes the process's stdin when the client half-closes the hijacked connection
    final(cb) {
      if (!socket.destroyed) socket.end();
      cb();
    },
  });
}

async function waitExitCode(deps: ExecDeps, execId: string): Promise<number> {
  for (let i = 0; i < EXIT_POLL_LIMIT; i++) {
    const info = await deps.call<{ Running: boolean; ExitCode: number | null }>("GET", `/exec/${execId}/json`);
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await new Promise((r) => setTimeout(r, EXIT_POLL_MS));
  }
  throw new Error(`Cannot read exit code of exec "${execId}": still running after its connection closed`);
}
