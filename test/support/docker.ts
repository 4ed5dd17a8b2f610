/**
 * A private Docker engine for tests, shared by every test process of a run.
 *
 * All users share one `dockerd` under `/tmp/kubeedge-ts-test-docker/` (override with `KUBEEDGE_TS_TEST_DOCKER_DIR`):
 * two engines on one host would fight over the `docker0` bridge and its iptables chains, and start-up costs about a
 * second each time. Each user registers its pid in `users/`; `release()` unregisters, and the last live user stops
 * the engine. A test process killed before `release()` leaves a stale pid that the next user prunes, and an engine
 * left running is reused by the next run (its images, e.g. the busybox image, are kept under `data/`). Everything
 * that checks or changes this state holds the `lock/` directory.
 *
 * Network: the default bridge is tried first (pods get an IP, hostPorts publish through iptables and
 * docker-proxy). Where iptables does not work it falls back to `--iptables=false --ip-masq=false` (pods still get a
 * bridge IP; hostPorts publish through docker-proxy, reachable on 127.0.0.1), and last to `--bridge=none` (no pod
 * IP: tests that need one must skip). `networkMode` says which one runs.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { DockerRuntime, ensureBusyboxImage } from "../../lib/edge/edged/runtime/index.ts";
import { pidAlive, withDirLock } from "./dir_lock.ts";
import { waitUntil } from "./process.ts";

/** The engine flavours tried in order. */
export type TestDockerNetwork = "bridge" | "bridge-no-iptables" | "none";

/** A registered user of the shared engine. */
export type TestDocker = {
  socketPath: string;
  networkMode: TestDockerNetwork;
  /** Unregisters this process; the last one stops the engine. */
  release(): Promise<void>;
};

const DIR = process.env.KUBEEDGE_TS_TEST_DOCKER_DIR ?? "/tmp/kubeedge-ts-test-docker";
const SOCKET = join(DIR, "docker.sock");
const LOCK = join(DIR, "lock");
const USERS = join(DIR, "users");
const START_TIMEOUT_MS = 30_000;
const LOCK_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;

const FLAGS: Record<TestDockerNetwork, string[]> = {
  bridge: [],
  "bridge-no-iptables": ["--iptables=false", "--ip-masq=false"],
  none: ["--bridge=none", "--iptables=false", "--ip-masq=false"],
};

/**
 * Registers this process as a user of the shared engine, starting the engine when none answers.
 *
 * @throws Error when dockerd is not installed or no flavour starts
 */
export async function useTestDocker(): Promise<TestDocker> {
  mkdirSync(USERS, { recursive: true });
  await withDirLock(LOCK, async () => {
    if (!(await ping())) await startEngine();
    writeFileSync(join(USERS, String(process.pid)), "");
  }, LOCK_TIMEOUT_MS);
  const networkMode = (readFileSync(join(DIR, "mode"), "utf8").trim() || "bridge") as TestDockerNetwork;
  let released = false;
  return {
    socketPath: SOCKET,
    networkMode,
    async release() {
      if (released) return;
      released = true;
      await withDirLock(LOCK, async () => {
        rmSync(join(USERS, String(process.pid)), { force: true });
        for (const u of readdirSync(USERS)) if (!alive(Number(u))) rmSync(join(USERS, u), { force: true });
        if (readdirSync(USERS).length === 0) await stopEngine();
      }, LOCK_TIMEOUT_MS);
    },
  };
}

async function startEngine(): Promise<void> {
  const failures: string[] = [];
  for (const mode of Object.keys(FLAGS) as TestDockerNetwork[]) {
    const logPath = join(DIR, "dockerd.log");
    const log = openSync(logPath, "w");
    rmSync(SOCKET, { force: true });
    const child = spawn("dockerd", [
      "--host", `unix://${SOCKET}`,
      "--data-root", join(DIR, "data"),
      "--exec-root", join(DIR, "exec"),
      "--pidfile", join(DIR, "dockerd.pid"),
      "--log-level", "warn",
      ...FLAGS[mode],
    ], { detached: true, stdio: ["ignore", log, log] });
    closeSync(log);
    let exited = false;
    child.once("exit", () => (exited = true));
    child.once("error", (e) => failures.push(`${mode}: ${e.message}`));
    child.unref();
    await waitUntil(async () => exited || (await ping()), START_TIMEOUT_MS, `dockerd (${mode}) to answer`, { intervalMs: 100 }).catch(() => undefined);
    if (!exited && (await ping())) {
      writeFileSync(join(DIR, "mode"), mode);
      return;
    }
    if (!exited) {
      try { process.kill(child.pid!, "SIGKILL"); } catch { /* already gone */ }
    }
    failures.push(`${mode}: ${readFileSync(logPath, "utf8").trim().split("\n").slice(-3).join(" | ")}`);
  }
  throw new Error(`Cannot start test dockerd: ${failures.join("; ")}`);
}

async function stopEngine(): Promise<void> {
  const pidFile = join(DIR, "dockerd.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  if (!alive(pid)) return;
  process.kill(pid, "SIGTERM");
  await waitUntil(() => !alive(pid), STOP_TIMEOUT_MS, "dockerd to stop", { intervalMs: 50 }).catch(() => undefined);
  if (alive(pid)) process.kill(pid, "SIGKILL");
}

function ping(): Promise<boolean> {
  return new Promise((resolve) => {
    const r = request({ socketPath: SOCKET, path: "/_ping", timeout: 2000, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    r.on("error", () => resolve(false));
    r.on("timeout", () => r.destroy());
    r.end();
  });
}

const alive = pidAlive;

/**
 * The shared test engine with the busybox image (`kubeedge-ts/busybox:latest`, built offline) present: what every
 * test that runs pods starts from.
 */
export async function useTestDockerWithBusybox(): Promise<TestDocker> {
  const docker = await useTestDocker();
  const runtime = new DockerRuntime({ socketPath: docker.socketPath });
  try {
    await ensureBusyboxImage(runtime);
  } catch (e) {
    await docker.release();
    throw e;
  } finally {
    await runtime.close();
  }
  return docker;
}
