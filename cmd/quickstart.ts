/**
 * `npm start`: the whole system on this machine. Installs what is missing (as root), finds or starts a Docker
 * engine, builds the offline busybox image, starts cloud_core with the embedded Kubernetes API, issues this host's
 * node certificate, starts edge_core, waits for the node to be Ready and prints what to try. Ctrl-C stops it all.
 * Everything lives in one folder (`.local/quickstart`, or `KUBEEDGE_TS_HOME`) that the next run reuses.
 * @module
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensurePrivateDirSync, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "../lib/store/index.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const HOME = resolve(process.env.KUBEEDGE_TS_HOME ?? join(ROOT, ".local/quickstart"));
const SYSTEM_SOCKET = "/var/run/docker.sock";
const NODE = (process.env.NODE_NAME ?? hostname()).toLowerCase().replace(/[^a-z0-9.-]/g, "-").replace(/^[-.]+|[-.]+$/g, "") || "edge-node";
const READY_TIMEOUT_MS = 90_000;

const say = (line: string) => process.stdout.write(`[quickstart] ${line}\n`);
const children: ChildProcess[] = [];

function ping(socketPath: string): Promise<boolean> {
  return new Promise((done) => {
    const req = request({ socketPath, path: "/_ping", timeout: 2000 }, (res) => {
      res.resume();
      done(res.statusCode === 200);
    });
    req.on("error", () => done(false));
    req.on("timeout", () => req.destroy());
    req.end();
  });
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Starts a child whose output goes to `<HOME>/<name>.log`; warnings and errors are echoed here. */
function startChild(name: string, cmd: string, args: string[]): ChildProcess {
  const log = createWriteStream(join(HOME, `${name}.log`), { flags: "a", mode: PRIVATE_FILE_MODE });
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  const echo = (chunk: Buffer) => {
    log.write(chunk);
    for (const line of chunk.toString().split("\n")) if (/ (WARN|ERROR) /.test(line)) process.stdout.write(`[${name}] ${line}\n`);
  };
  child.stdout!.on("data", echo);
  child.stderr!.on("data", echo);
  child.on("exit", (code, signal) => {
    if (!stopping) say(`${name} exited (${signal ?? code}); see ${join(HOME, `${name}.log`)}`);
  });
  return child;
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number, name: string): Promise<void> {
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${name} did not start within ${timeoutMs / 1000} s; see ${join(HOME, `${name}.log`)}`)), timeoutMs);
    const check = (chunk: Buffer) => {
      if (pattern.test(chunk.toString())) {
        clearTimeout(timer);
        ok();
      }
    };
    child.stdout!.on("data", check);
    child.stderr!.on("data", check);
    child.on("exit", () => fail(new Error(`${name} exited during start; see ${join(HOME, `${name}.log`)}`)));
  });
}

/**
 * A Docker engine: the one `DOCKER_HOST` names (unix sockets only), else the system one if it answers, else a private
 * dockerd under HOME (root only). A second engine on a host that already runs one would fight it over docker0.
 */
async function ensureDocker(): Promise<string | undefined> {
  const fromEnv = process.env.DOCKER_HOST;
  if (fromEnv) {
    const socket = fromEnv.replace(/^unix:\/\//, "");
    if (!fromEnv.startsWith("unix://") || !(await ping(socket))) throw new Error(`DOCKER_HOST=${fromEnv}: expected unix:///path/to/docker.sock of a running engine`);
    return socket;
  }
  if (await ping(SYSTEM_SOCKET)) return SYSTEM_SOCKET;
  const dir = join(HOME, "docker");
  const socket = join(dir, "docker.sock");
  if (await ping(socket)) return socket;
  if (process.getuid?.() !== 0 || spawnSync("which", ["dockerd"]).status !== 0) return undefined;
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  // the default bridge needs iptables; where it does not work, fall back to docker-proxy without iptables
  for (const extra of [[], ["--iptables=false", "--ip-masq=false"]]) {
    const child = startChild("dockerd", "dockerd", [
      "--host", `unix://${socket}`, "--data-root", join(dir, "data"), "--exec-root", join(dir, "exec"),
      "--pidfile", join(dir, "dockerd.pid"),
      // on Ctrl-C, containers still running get 3 s to stop, well inside the 10 s this engine gets before SIGKILL:
      // an engine killed mid-shutdown leaves container shims and mounts under HOME behind
      "--shutdown-timeout", "3", ...extra,
    ]);
    const up = await waitFor("dockerd", 30_000, async () => ((await ping(socket)) ? true : child.exitCode !== null ? false : undefined)).catch(() => false);
    if (up) return socket;
    child.kill("SIGKILL");
  }
  return undefined;
}

function writeConfigs(dockerSocket: string | undefined): { cloud: string; edge: string } {
  const cloud = join(HOME, "cloud.yaml");
  const edge = join(HOME, "edge.yaml");
  if (!existsSync(cloud)) {
    writeFileSync(cloud, "# written by npm start; edit freely, it is kept\ndataDir: cloud\ncloudHub:\n  address: 127.0.0.1:10000\napiserver:\n  address: 127.0.0.1:6443\n", { mode: PRIVATE_FILE_MODE });
  }
  if (!existsSync(edge)) {
    writeFileSync(edge, [
      "# written by npm start; edit freely, it is kept",
      `nodeName: ${NODE}`,
      "dataDir: edge",
      "edgeHub:",
      "  server: 127.0.0.1:10000",
      "edged:",
      `  enable: ${dockerSocket ? "true" : "false"}`,
      `  dockerSocket: ${dockerSocket ?? SYSTEM_SOCKET}`,
      "eventBus:",
      "  mode: internal",
      "",
    ].join("\n"), { mode: PRIVATE_FILE_MODE });
  }
  return { cloud, edge };
}

let stopping = false;
async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say("stopping edge_core, cloud_core and the engine we started");
  for (const c of [...children].reverse()) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    c.kill("SIGTERM");
    await new Promise<void>((r) => {
      const t = setTimeout(() => {
        c.kill("SIGKILL");
        r();
      }, 10_000);
      c.on("exit", () => {
        clearTimeout(t);
        r();
      });
    });
  }
  process.exit(code);
}

async function main(): Promise<void> {
  // the state here (both dataDirs, logs, configs) holds the CA key, tokens and Secrets
  if (ensurePrivateDirSync(HOME)) say(`made ${HOME} private (0700): it was open to other users`);
  say(`data folder: ${HOME}`);
  if (process.getuid?.() === 0) spawnSync("bash", [join(ROOT, "cmd/prepare_host.sh")], { stdio: "inherit" });
  const dockerSocket = await ensureDocker();
  if (dockerSocket) {
    const { DockerRuntime, ensureBusyboxImage } = await import("../lib/edge/edged/runtime/index.ts");
    const image = await ensureBusyboxImage(new DockerRuntime({ socketPath: dockerSocket }));
    say(`Docker engine at ${dockerSocket}; image ${image.tag} ${image.built ? "built" : "present"}`);
  } else {
    say("WARNING: no Docker engine (run as root to install and start one): the node joins, devices work, pods will not run");
  }
  const { cloud, edge } = writeConfigs(dockerSocket);
  const ts = (file: string, ...args: string[]): [string, string[]] => [process.execPath, ["--import", "tsx", join(ROOT, file), ...args]];

  const cloudCore = startChild("cloud_core", ...ts("cmd/cloud_core.ts", "--config", cloud));
  await waitForLine(cloudCore, /cloud_core started/, 60_000, "cloud_core");
  const certDir = join(HOME, "edge/certs");
  if (!existsSync(join(certDir, "node.crt"))) {
    const [cmd, args] = ts("cmd/cloud_core.ts", "cert", "--node", NODE, "--out", certDir, "--config", cloud);
    const r = spawnSync(cmd, args, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`cannot issue the node certificate: ${r.stderr.trim()}`);
  }
  const edgeCore = startChild("edge_core", ...ts("cmd/edge_core.ts", "--config", edge));
  await waitForLine(edgeCore, /edge_core started/, 60_000, "edge_core");

  const kubeconfig = join(HOME, "cloud/kubeconfig");
  await waitFor(`node ${NODE} Ready`, READY_TIMEOUT_MS, async () => {
    const r = spawnSync("kubectl", ["--kubeconfig", kubeconfig, "get", "node", NODE, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"], { encoding: "utf8" });
    return r.stdout.trim() === "True" ? true : undefined;
  });
  say(`node ${NODE} is Ready. Logs: ${join(HOME, "cloud_core.log")}, ${join(HOME, "edge_core.log")}`);
  process.stdout.write(`
  export KUBECONFIG=${kubeconfig}
  kubectl get nodes -o wide
  kubectl apply -f ${join(ROOT, "conf/samples/web.yaml")} && kubectl get pods -o wide -w
  curl http://127.0.0.1:8080/        # the sample serves its ConfigMap on hostPort 8080

  Ctrl-C stops cloud_core, edge_core and any engine started here; data stays in ${HOME}.
  Pods keep running in a Docker engine that was already there (edge autonomy): kubectl delete them first.
`);
}

process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));
main().catch((e) => {
  say(`failed: ${e instanceof Error ? e.message : String(e)}`);
  void stopAll(1);
});
