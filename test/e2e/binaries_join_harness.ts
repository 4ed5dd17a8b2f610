/**
 * The "real start" smoke of a built edge_core: cloud_core runs on this host (from source, or as the x64 binary) with
 * its embedded API, the edge_core binary of one architecture is built with build.ts and run natively or under
 * qemu-user, and the node must turn Ready in kubectl. Shared by the binaries_join_*_test.ts files, one per architecture.
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BuildSession } from "../../cross/build_session.ts";
import { type Arch, TARGETS } from "../../cross/targets.ts";
import { TargetUnavailableError, unavailableReason } from "../../cross/unavailable.ts";
import { createLogger } from "../../lib/log/index.ts";
import { VERSION } from "../../lib/version.ts";
import { useTestDocker } from "../support/docker.ts";
import { kubectl, type KubectlEnv } from "../support/kubectl.ts";
import { freePort, ROOT, runToEnd, startBackground, tsArgs, waitUntil } from "../support/process.ts";

/** What a join run measured. */
export type JoinResult = {
  /** Build of the edge_core binary, smoke run excluded. */
  buildMs: number;
  /** From starting edge_core to the node's Ready=True in kubectl. */
  readyMs: number;
  /** Resident memory of edge_core after `idleMs` with the node Ready (native runs only: qemu's is not real). */
  idleRssMb?: number;
  /** kubeletVersion the node reports. */
  kubeletVersion: string;
  architecture: string;
};

/** Options of {@link joinEdgeBinary}. */
export type JoinOptions = {
  /** When set (native runs), edge_core's RSS is read this long after Ready. */
  idleMs?: number;
  /** Run cloud_core from source (tsx) or as the x64 binary built beside edge_core. @default "source" */
  cloud?: "source" | "binary";
};

/** VmRSS of a process, from /proc. */
function rssMb(pid: number): number {
  const kb = Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/)?.[1]);
  return Math.round((kb / 1024) * 10) / 10;
}

/**
 * Builds edge_core for `arch` with build.ts into `outDir` (`edge_core-linux-<arch>`), and with `withCloud` the x64
 * cloud_core beside it. No smoke run: the caller runs the binary for real.
 *
 * @throws TargetUnavailableError when build.ts reports the target unavailable on this machine
 */
export async function buildBinaries(arch: Arch, outDir: string, withCloud = false): Promise<string> {
  const archArgs = withCloud && arch !== "x64" ? ["--arch", arch, "--arch", "x64"] : ["--arch", arch];
  const build = await runToEnd(...tsArgs(join(ROOT, "build.ts"), ...archArgs, "--target", withCloud ? "all" : "edge", "--no-smoke", "--out", outDir), {
    timeoutMs: 600_000,
  });
  if (build.code !== 0) throw new Error(`build.ts failed:\n${build.stdout}\n${build.stderr}`);
  const unavailable = unavailableReason(build.stdout, `edge_core-linux-${arch}`);
  if (unavailable) throw new TargetUnavailableError(unavailable);
  return join(outDir, `edge_core-linux-${arch}`);
}

/**
 * Builds edge_core for `arch`, starts cloud_core and the binary, and waits until kubectl shows the node Ready.
 *
 * @throws TargetUnavailableError when build.ts reports the target unavailable on this machine (its runtime cannot
 *   be downloaded here): the caller skips with its message
 * @throws Error with the build output or both programs' logs when a step fails or times out
 */
export async function joinEdgeBinary(arch: Arch, readyTimeoutMs: number, options: JoinOptions = {}): Promise<JoinResult> {
  const dir = mkdtempSync(join(tmpdir(), `binaries-join-${arch}-`));
  const docker = await useTestDocker();
  const stops: (() => Promise<unknown>)[] = [];
  try {
    const started = Date.now();
    const cloudBinary = options.cloud === "binary";
    await buildBinaries(arch, join(dir, "dist"), cloudBinary);
    const buildMs = Date.now() - started;
    const [hubPort, apiPort, mqttPort] = [await freePort(), await freePort(), await freePort()];
    const node = `edge-${arch}`;
    writeFileSync(join(dir, "cloud.yaml"), `dataDir: ./cloud\ncloudHub:\n  address: 127.0.0.1:${hubPort}\napiserver:\n  address: 127.0.0.1:${apiPort}\n`);
    const cloudCmd = (...args: string[]): [string, string[]] =>
      cloudBinary ? [join(dir, "dist/cloud_core-linux-x64"), args] : tsArgs(join(ROOT, "cmd/cloud_core.ts"), ...args);
    const cert = await runToEnd(...cloudCmd("cert", "--config", join(dir, "cloud.yaml"), "--node", node, "--out", join(dir, "edge/certs")));
    if (cert.code !== 0) throw new Error(`cloud_core cert failed:\n${cert.stderr}`);
    const cloud = startBackground(...cloudCmd("--config", join(dir, "cloud.yaml")));
    stops.push(() => cloud.kill("SIGKILL"));
    await cloud.waitFor(/cloud_core started/, 30_000);
    writeFileSync(
      join(dir, "edge.yaml"),
      [
        `nodeName: ${node}`,
        "dataDir: ./edge",
        "edgeHub:",
        `  server: 127.0.0.1:${hubPort}`,
        "  tls: { ca: ./edge/certs/ca.crt, cert: ./edge/certs/node.crt, key: ./edge/certs/node.key }",
        "edged:",
        `  dockerSocket: ${docker.socketPath}`,
        "eventBus:",
        "  internal:",
        `    address: 127.0.0.1:${mqttPort}`,
        "",
      ].join("\n"),
    );
    const session = new BuildSession({ root: ROOT, workDir: join(dir, "work"), version: VERSION, log: createLogger("join", { level: "warn" }) });
    const runner = await TARGETS[arch].runner(session, join(dir, "dist", `edge_core-linux-${arch}`));
    const edgeStarted = Date.now();
    const edge = startBackground(runner.command, [...runner.args, "--config", join(dir, "edge.yaml")], { env: runner.env });
    stops.push(() => edge.kill("SIGKILL"));
    const env: KubectlEnv = { kubeconfig: join(dir, "cloud/kubeconfig"), home: join(dir, "home") };
    const ready = await waitUntil(
      async () => {
        if (edge.child.exitCode !== null) throw new Error(`edge_core exited with ${edge.child.exitCode}`);
        const r = await kubectl(env, ["get", "node", node, "-o", "json"]);
        if (r.code !== 0) return undefined;
        const obj = JSON.parse(r.stdout);
        const cond = (obj.status?.conditions ?? []).find((c: { type: string }) => c.type === "Ready");
        return cond?.status === "True" ? obj : undefined;
      },
      readyTimeoutMs,
      `node ${node} Ready`,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n--- edge_core ---\n${edge.output().slice(-4000)}\n--- cloud_core ---\n${cloud.output().slice(-4000)}`);
    });
    const readyMs = Date.now() - edgeStarted;
    let idleRssMb: number | undefined;
    if (options.idleMs !== undefined) {
      await new Promise((r) => setTimeout(r, options.idleMs));
      idleRssMb = rssMb(edge.child.pid!);
    }
    await edge.kill("SIGTERM");
    return { buildMs, readyMs, idleRssMb, kubeletVersion: ready.status.nodeInfo?.kubeletVersion, architecture: ready.status.nodeInfo?.architecture };
  } finally {
    for (const s of stops.reverse()) await s();
    await docker.release();
    rmSync(dir, { recursive: true, force: true });
  }
}
