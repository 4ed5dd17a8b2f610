/**
 * Runs a short command with no stdin. The shared `runToEnd` writes to the child's stdin, which fails with an
 * unhandled EPIPE when a fast command (`docker ps` polled in a loop) has already exited; these commands read nothing.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { ROOT } from "../support/process.ts";

/** What a finished command printed. */
export type Ran = { code: number | null; stdout: string; stderr: string };

/** Runs `cmd` to completion, killed after `timeoutMs`. */
export function run(cmd: string, args: string[], timeoutMs: number): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`Cannot run ${cmd}: ${e.message}`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
