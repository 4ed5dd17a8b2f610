/**
 * What the security tests share: a real cloud_core process with its embedded API in a temp dir, node certificates
 * issued by `cloud_core cert`, and a raw WebSocket link that speaks KubeEdge's message format the way a hostile
 * node would, plus a well-behaved node's heartbeat to show other nodes are unaffected.
 *
 * @module
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import WebSocket from "ws";
import { decodeMessage, encodeMessage, type Message, newMessage } from "../../lib/model/index.ts";
import { type Background, freePort, ROOT, runToEnd, startBackground, tsArgs } from "../support/process.ts";

/** A cloud_core under attack. */
export type TestCloud = {
  dir: string;
  hubPort: number;
  proc: Background;
  kc: KubeConfig;
  core: CoreV1Api;
  /** Issues a node certificate with `cloud_core cert`. */
  certs(node: string): Promise<{ ca: string; cert: string; key: string }>;
  /** Stops cloud_core (SIGTERM) and starts it again on the same data. */
  restart(): Promise<void>;
  /** Resident memory of the cloud_core process in MiB (Linux /proc). */
  rssMiB(): number;
  /** Bytes of the cloud store files. */
  storeBytes(): number;
  alive(): boolean;
  stop(): Promise<void>;
};

/** Starts cloud_core with the embedded API; `hubYaml` adds keys to the cloudHub section (`key: value, ...`). */
export async function startTestCloud(name: string, extraYaml: string[] = [], hubYaml = ""): Promise<TestCloud> {
  const dir = mkdtempSync(join(tmpdir(), `ke-sec-${name}-`));
  const hubPort = await freePort();
  const apiPort = await freePort();
  const config = join(dir, "cloud.yaml");
  writeFileSync(config, [`dataDir: ${join(dir, "cloud")}`, `cloudHub: {address: "127.0.0.1:${hubPort}"${hubYaml ? `, ${hubYaml}` : ""}}`, `apiserver: {address: "127.0.0.1:${apiPort}"}`, ...extraYaml, ""].join("\n"));
  const launch = async () => {
    const p = startBackground(...tsArgs(join(ROOT, "cmd/cloud_core.ts"), "--config", config));
    await p.waitFor(/cloud_core started/, 60_000);
    return p;
  };
  let proc = await launch();
  const kc = new KubeConfig();
  kc.loadFromFile(join(dir, "cloud/kubeconfig"));
  const cloud: TestCloud = {
    dir, hubPort, proc, kc, core: kc.makeApiClient(CoreV1Api),
    async certs(node) {
      const out = join(dir, `certs-${node}`);
      if (!existsSync(join(out, "node.key"))) {
        const r = await runToEnd(...tsArgs(join(ROOT, "cmd/cloud_core.ts"), "cert", "--node", node, "--out", out, "--config", config));
        if (r.code !== 0) throw new Error(`cloud_core cert --node ${node}: ${r.stderr}`);
      }
      return { ca: join(out, "ca.crt"), cert: join(out, "node.crt"), key: join(out, "node.key") };
    },
    async restart() {
      await cloud.proc.kill("SIGTERM");
      cloud.proc = proc = await launch();
    },
    rssMiB() {
      const status = readFileSync(`/proc/${cloud.proc.child.pid}/status`, "utf8");
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    storeBytes() {
      const d = join(dir, "cloud");
      return readdirSync(d).filter((f) => f.startsWith("cloud.db")).reduce((n, f) => n + statSync(join(d, f)).size, 0);
    },
    alive: () => cloud.proc.child.exitCode === null && cloud.proc.child.signalCode === null,
    async stop() {
      await cloud.proc.kill("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cloud;
}

/** A raw link with a node certificate. */
export class NodeLink {
  readonly node: string;
  readonly ws: WebSocket;
  readonly frames: Message[] = [];
  closed = false;

  private constructor(node: string, ws: WebSocket) {
    this.node = node;
    this.ws = ws;
    ws.on("message", (d: Buffer) => {
      try {
        this.frames.push(decodeMessage(d));
      } catch {
        // the cloud only sends messages; nothing else to keep
      }
    });
    ws.on("close", () => (this.closed = true));
    ws.on("error", () => (this.closed = true));
  }

  /** Opens `wss://127.0.0.1:<hub>/p1/<node>/events` with the node's certificate. */
  static async open(cloud: TestCloud, node: string): Promise<NodeLink> {
    const c = await cloud.certs(node);
    const ws = new WebSocket(`wss://127.0.0.1:${cloud.hubPort}/p1/${node}/events`, {
      ca: readFileSync(c.ca), cert: readFileSync(c.cert), key: readFileSync(c.key), headers: { node_id: node },
    });
    await new Promise<void>((ok, fail) => {
      ws.once("open", ok);
      ws.once("error", fail);
    });
    return new NodeLink(node, ws);
  }

  /** Sends one message; `group` decides the cloud module (resource: EdgeController, twin: DeviceController). */
  send(operation: string, resource: string, content: unknown, group = "resource"): Message {
    const m = newMessage({ source: group === "twin" ? "twin" : "edged", group, operation, resource, content });
    this.ws.send(encodeMessage(m));
    return m;
  }

  /** Sends a frame as given. */
  sendRaw(frame: string | Buffer): void {
    this.ws.send(frame);
  }

  /** A keepalive, so the cloud's silence watchdog leaves the link up. */
  keepalive(): void {
    this.send("keepalive", "node", "ping");
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const done = new Promise<void>((r) => this.ws.once("close", () => r()));
    this.ws.close();
    await done;
  }
}

/** A node status as edged reports it, Ready, with `labels`. */
export function goodStatus(node: string, labels: Record<string, string> = {}): { UID: string; Status: object; ExtendResources: null; Labels: Record<string, string> } {
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  return {
    UID: "",
    Status: {
      capacity: { cpu: "2", memory: "2048Mi", pods: "110" },
      allocatable: { cpu: "2", memory: "2048Mi", pods: "110" },
      conditions: [{ type: "Ready", status: "True", reason: "EdgeReady", message: "edge is posting ready status", lastHeartbeatTime: now, lastTransitionTime: now }],
      addresses: [{ type: "InternalIP", address: "127.0.0.1" }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10350 } },
      nodeInfo: { machineID: "", systemUUID: "", bootID: "", kernelVersion: "", osImage: "", containerRuntimeVersion: "docker://test", kubeletVersion: "v1.28.7", kubeProxyVersion: "", operatingSystem: "linux", architecture: "amd64" },
    },
    ExtendResources: null,
    Labels: { "kubernetes.io/hostname": node, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "node-role.kubernetes.io/edge": "", "node-role.kubernetes.io/agent": "", ...labels },
  };
}

/** A well-behaved node: reports Ready status every `everyMs` and keeps its link alive. */
export async function goodNode(cloud: TestCloud, node: string, everyMs = 2000): Promise<{ link: NodeLink; stop(): Promise<void> }> {
  const link = await NodeLink.open(cloud, node);
  const beat = () => {
    if (link.closed) return;
    link.send("update", `default/nodestatus/${node}`, goodStatus(node));
    link.keepalive();
  };
  beat();
  const t = setInterval(beat, everyMs);
  return {
    link,
    async stop() {
      clearInterval(t);
      await link.close();
    },
  };
}

/** The Ready condition status of a node, or "" when it has none (or does not exist). */
export async function readyOf(cloud: TestCloud, node: string): Promise<string> {
  try {
    const n = await cloud.core.readNode({ name: node });
    return (n.status?.conditions ?? []).find((c) => c.type === "Ready")?.status ?? "";
  } catch {
    return "";
  }
}
