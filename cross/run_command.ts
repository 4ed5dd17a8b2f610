/**
 * Runs one host command for the build and returns its output; a failure carries the command and the tail of its
 * output, so a failing target can say why in one line.
 *
 * @module
 */
import { spawn } from "node:child_process";

/** How a command runs. */
export type RunOptions = {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Bytes written to the command's stdin. */
  input?: string | Uint8Array;
  /** The command is killed after this long. @default 600000 (ms) */
  timeoutMs?: number;
  signal?: AbortSignal;
};

/** What a finished command printed. */
export type RunResult = { stdout: string; stderr: string; ms: number };

const DEFAULTS = { timeoutMs: 600_000 } satisfies Partial<RunOptions>;
const TAIL_CHARS = 600;

/** Thrown when a build command exits non-zero, is killed, or cannot start. */
export class CommandError extends Error {
  readonly stdout: string;
  readonly stderr: string;
  constructor(message: string, out: { stdout: string; stderr: string }, options?: ErrorOptions) {
    super(message, options);
    this.name = "CommandError";
    this.stdout = out.stdout;
    this.stderr = out.stderr;
  }
}

function tail(text: string): string {
  const t = text.trim();
  return t.length > TAIL_CHARS ? "…" + t.slice(-TAIL_CHARS) : t;
}

/**
 * Runs `command args…` to completion.
 *
 * @returns stdout and stderr as text, and how long it took
 * @throws CommandError when it cannot start, exits non-zero or times out
 * @example Ask a tool its version
 * ```ts
 * const { stdout } = await runCommand("node", ["--version"]);
 * ```
 */
export function runCommand(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const opts = { ...DEFAULTS, ...options };
  const started = Date.now();
  const shown = [command, ...args].map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(" ");
  return new Promise((resolve, reject) => {
    const signals = [AbortSignal.timeout(opts.timeoutMs), ...(opts.signal ? [opts.signal] : [])];
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
      signal: AbortSignal.any(signals),
      killSignal: "SIGKILL",
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdin.on("error", () => {
      // a command that exits without reading its input closes the pipe; its exit status tells what happened
    });
    child.stdin.end(opts.input);
    child.on("error", (e) => {
      const why = e.name === "AbortError" ? `timed out after ${opts.timeoutMs} ms or was aborted` : e.message;
      reject(new CommandError(`Cannot run "${shown}": ${why}`, { stdout, stderr }, { cause: e }));
    });
    child.on("close", (code, signal) => {
      if (code === 0) return resolve({ stdout, stderr, ms: Date.now() - started });
      const status = signal ? `killed by ${signal}` : `exit code ${code}`;
      const out = tail(stderr) || tail(stdout);
      reject(new CommandError(`Cannot run "${shown}": ${status}${out ? `: ${out}` : ""}`, { stdout, stderr }));
    });
  });
}
