/**
 * A real Kubernetes control plane for tests (kube-apiserver, controller-manager and scheduler v1.28.7 with etcd,
 * from `../shared/realk8s`), shared by every test file of a run: the first user starts it (15-40 s), later ones
 * reuse it. Tests keep out of each other's way with their own namespaces and node names.
 *
 * Under `test/run.ts` the control plane lives in the run's own folder (`KUBEEDGE_TS_REALK8S_DIR`) and the runner
 * stops and removes it at the end (`KUBEEDGE_TS_REALK8S_KEEP=1`); a test file run on its own stops it when its last
 * user releases it. Where `../shared/realk8s` is missing the test skips (in CI that is a failure).
 *
 * @module
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pidAlive, withDirLock } from "./dir_lock.ts";
import { runToEnd } from "./process.ts";
import { requireTool } from "./skip.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** Where `up.sh` and `down.sh` of the real control plane are. */
export const REALK8S_SCRIPTS = join(ROOT, "../shared/realk8s");
const DIR = process.env.KUBEEDGE_TS_REALK8S_DIR ?? "/tmp/kubeedge-ts-test-realk8s";
const UP_TIMEOUT_MS = 300_000;

/** A registered user of the shared control plane. */
export type RealK8s = {
  /** The cluster-admin kubeconfig. */
  kubeconfig: string;
  /** `https://127.0.0.1:PORT` of kube-apiserver. */
  url: string;
  /** The folder of this instance (pki/, logs/, env). */
  dir: string;
  /** Unregisters this process; the last one stops the control plane unless the runner keeps it. */
  release(): Promise<void>;
};

/**
 * Registers this process as a user of the shared real control plane, starting it when it is not running.
 *
 * @returns undefined (after a skip) where `../shared/realk8s` is not beside the checkout, outside CI
 * @throws Error when up.sh fails, with the tail of its output
 */
export async function useRealK8s(): Promise<RealK8s | undefined> {
  if (!requireTool("the real control plane (../shared/realk8s/up.sh)", existsSync(join(REALK8S_SCRIPTS, "up.sh")) ? "up.sh" : undefined)) return undefined;
  const users = join(DIR, "users");
  mkdirSync(users, { recursive: true });
  const kubeconfig = await withDirLock(join(DIR, "lock"), async () => {
    const up = await runToEnd("bash", [join(REALK8S_SCRIPTS, "up.sh"), join(DIR, "k8s")], { timeoutMs: UP_TIMEOUT_MS });
    if (up.code !== 0) throw new Error(`realk8s up.sh failed (exit ${up.code}):\n${(up.stdout + up.stderr).slice(-3000)}`);
    writeFileSync(join(users, String(process.pid)), "");
    return up.stdout.trim().split("\n").pop()!;
  }, UP_TIMEOUT_MS + 30_000);
  const env = readFileSync(join(DIR, "k8s/env"), "utf8");
  const url = env.match(/^APISERVER_URL=(.*)$/m)![1];
  let released = false;
  return {
    kubeconfig,
    url,
    dir: join(DIR, "k8s"),
    async release() {
      if (released) return;
      released = true;
      await withDirLock(join(DIR, "lock"), async () => {
        rmSync(join(users, String(process.pid)), { force: true });
        for (const u of readdirSync(users)) if (!pidAlive(Number(u))) rmSync(join(users, u), { force: true });
        if (readdirSync(users).length === 0 && !process.env.KUBEEDGE_TS_REALK8S_KEEP) await stopRealK8s(DIR);
      });
    },
  };
}

/** Stops the control plane kept in `dir` (if any) and removes the folder. */
export async function stopRealK8s(dir: string): Promise<void> {
  if (existsSync(join(dir, "k8s"))) await runToEnd("bash", [join(REALK8S_SCRIPTS, "down.sh"), join(dir, "k8s"), "--wipe"], { timeoutMs: 60_000 });
  rmSync(dir, { recursive: true, force: true });
}
