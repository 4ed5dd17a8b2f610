/**
 * Runs the real kubectl against a test API server: the kubeconfig it is given, a HOME of its own (so its discovery
 * cache belongs to the test), bounded run time, and stdout/stderr/exit code back.
 *
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";

/** What one kubectl run printed and how it ended. */
export type KubectlResult = { stdout: string; stderr: string; code: number | null };

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const p = join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

/**
 * The kubectl binary tests run: `$KUBECTL`, else `kubectl.1.32` (on PATH or beside the gcloud dispatcher), else
 * `kubectl` from PATH.
 */
export function kubectlBinary(): string {
  if (process.env.KUBECTL) return process.env.KUBECTL;
  const direct = onPath("kubectl.1.32");
  if (direct) return direct;
  const dispatcher = onPath("kubectl");
  if (dispatcher) {
    const beside = join(dirname(realpathSync(dispatcher)), "kubectl.1.32");
    return existsSync(beside) ? beside : dispatcher;
  }
  return "kubectl";
}

/** Where kubectl runs: its kubeconfig and its HOME. */
export type KubectlEnv = { kubeconfig: string; home: string };

/** Options of one kubectl run. */
export type KubectlOptions = { stdin?: string; timeoutMs?: number };

/**
 * Runs kubectl to completion.
 *
 * @example Read nodes
 * ```ts
 * const { stdout, code } = await kubectl(env, ["get", "nodes"]);
 * ```
 */
export function kubectl(env: KubectlEnv, args: string[], options: KubectlOptions = {}): Promise<KubectlResult> {
  const child = startKubectl(env, args);
  if (options.stdin !== undefined) child.stdin!.end(options.stdin);
  else child.stdin!.end();
  let stdout = "", stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
  });
}

/** Starts kubectl and leaves it running (for `get -w`); the caller kills it. */
export function startKubectl(env: KubectlEnv, args: string[]): ChildProcess {
  return spawn(kubectlBinary(), args, {
    env: { PATH: process.env.PATH ?? "", HOME: env.home, KUBECONFIG: env.kubeconfig, KUBECTL_COMMAND_HEADERS: "false" },
    stdio: ["pipe", "pipe", "pipe"],
  });
}
