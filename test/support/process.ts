/**
 * Child processes for tests: run to completion, or start in the background and wait for a log line; every started
 * process is killed when the test process exits.
 *
 * @module
 */
import { type ChildProcess, spawn, type SpawnOptions } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

/** The project root. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Arguments that run a TypeScript entry point with the current Node and tsx. */
export function tsArgs(file: string, ...args: string[]): [string, string[]] {
  return [process.execPath, ["--import", "tsx", file, ...args]];
}

/** What a finished process printed. */
export type Finished = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/** Runs a command to completion (killed after `timeoutMs`). */
export function runToEnd(cmd: string, args: string[], options: SpawnOptions & { timeoutMs?: number; input?: string } = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, ...options, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    // a fast command may exit before its stdin is written: that EPIPE is not the test's failure
    child.stdin!.on("error", () => {});
    child.stdin!.end(options.input ?? "");
  });
}

const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const c of live) if (c.exitCode === null) c.kill("SIGKILL");
});

/** A background process whose output is collected; `waitFor` waits for a pattern in stdout+stderr. */
export type Background = {
  child: ChildProcess;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** Starts a process in the background. It is killed at test exit if still running. */
export function startBackground(cmd: string, args: string[], options: SpawnOptions = {}): Background {
  const child = spawn(cmd, args, { cwd: ROOT, ...options, stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  let out = "";
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d;
    for (const l of listeners) l();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => {
      live.delete(child);
      for (const l of listeners) l();
      resolve({ code, signal });
    }));
  return {
    child,
    output: () => out,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.match(pattern);
          if (m) return done(() => resolve(m));
          if (child.exitCode !== null || child.signalCode !== null) {
            done(() => reject(new Error(`process exited before printing ${pattern}; output:\n${out}`)));
          }
        };
        const timer = setTimeout(() => done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}; output:\n${out}`))), timeoutMs);
        const done = (f: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          f();
        };
        listeners.add(check);
        check();
      });
    },
    exited: () => exit,
    kill(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exit;
    },
  };
}

/** What a condition returns once it holds: its value, without the falsy ones. */
export type Truthy<T> = Exclude<T, false | null | undefined | 0 | "">;

/** Options of {@link waitUntil}. */
export type WaitOptions = {
  /**
   * Pause between two checks. By default it starts at 10 ms and doubles up to 100 ms: a condition that holds soon
   * is seen soon, and a long wait does not keep a loaded machine busy.
   */
  intervalMs?: number;
  /** For long waits: said on stderr every `progressEveryMs`, and added to the time-out error. */
  progress?: () => string | Promise<string>;
  /** @default 10000 (ms) */
  progressEveryMs?: number;
};

const shortly = (v: unknown): string => {
  const text = v instanceof Error ? v.message : typeof v === "string" ? v : JSON.stringify(v) ?? String(v);
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
};

/**
 * The one polling helper of the tests: checks `cond` until it returns a truthy value and returns that value. A
 * `cond` that throws counts as "not yet" (the last error is in the time-out message). Tests wait for the condition
 * they assert with it, never for a fixed time.
 *
 * @param timeoutMs how long to keep trying
 * @param what what is awaited, for the time-out message
 * @throws Error naming `what`, the last error or falsy value seen, and the progress text, after `timeoutMs`
 */
export async function waitUntil<T>(cond: () => T | Promise<T>, timeoutMs = 10_000, what = "condition", options: WaitOptions = {}): Promise<Truthy<T>> {
  const { intervalMs, progress, progressEveryMs = 10_000 } = options;
  let pause = intervalMs ?? 10;
  const began = Date.now();
  const end = began + timeoutMs;
  let told = began;
  let last: { error?: unknown; value?: unknown } = {};
  for (;;) {
    try {
      const v = await cond();
      if (v) return v as Truthy<T>;
      last = { value: v };
    } catch (e) {
      last = { error: e };
    }
    const now = Date.now();
    if (now > end) {
      const seen = "error" in last ? `: ${shortly(last.error)}` : last.value !== undefined && last.value !== false ? ` (last: ${shortly(last.value)})` : "";
      const state = progress ? `; ${await progress()}` : "";
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen}${state}`);
    }
    if (progress && now - told >= progressEveryMs) {
      told = now;
      process.stderr.write(`[wait] ${what}: ${await progress()} after ${Math.round((now - began) / 1000)} s\n`);
    }
    await new Promise((r) => setTimeout(r, pause));
    if (intervalMs === undefined) pause = Math.min(pause * 2, 100);
  }
}

/** A TCP port free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
