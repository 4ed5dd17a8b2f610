/**
 * The node's status as the edge reports it: capacity and allocatable from the host (cpu, memory, pods = maxPods),
 * OS, kernel and architecture, the engine version as container runtime, addresses, and a Ready condition that turns
 * False while the engine does not answer, with kubelet's reason `KubeletNotReady` and a message naming the socket and
 * the error, so `kubectl describe node` says why. Each change of Ready is also an Event (NodeReady, or NodeNotReady
 * with the reason ContainerRuntimeDown and the same message). Without a runtime (`edged.enable: false`) the node is Ready for
 * devices and offers no pod slots. Sent as `update default/nodestatus/<node>` with content
 * `{UID, Status, ExtendResources, Labels}` every interval and whenever it changes.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { arch, cpus, hostname, networkInterfaces, platform, release, totalmem } from "node:os";
import type { Logger } from "../../log/index.ts";
import { VERSION } from "../../version.ts";
import { readBootId } from "./boot_id.ts";
import type { ContainerRuntime } from "./runtime/index.ts";

/** What the reporter needs. */
export type NodeStatusOptions = {
  /** The engine pods run on; absent when this node runs no pods (devices only). */
  runtime?: ContainerRuntime;
  /** Where the engine is reached (its socket path), named in the NotReady message. */
  runtimeEndpoint?: string;
  nodeName: string;
  /** Reported as InternalIP. Default: the first non-loopback IPv4 address. */
  nodeIP?: string;
  maxPods: number;
  /** @default 10000 */
  intervalMs?: number;
  /** Port reported as the kubelet endpoint (edge stream for logs and exec). @default 10350 */
  streamPort?: number;
  log: Logger;
  send(content: NodeStatusContent): Promise<void>;
  /** Records an Event about the node. */
  recordEvent?(type: "Normal" | "Warning", reason: string, message: string): void;
};

/** The content of a nodestatus message (KubeEdge's edged sends these capitalised keys). */
export type NodeStatusContent = { UID: string; Status: Record<string, unknown>; ExtendResources: null; Labels: Record<string, string> };

/** The first non-internal IPv4 address of this host, or 127.0.0.1. */
export function defaultNodeIP(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  }
  return "127.0.0.1";
}

/** Reports node status on an interval and on change. */
export class NodeStatusReporter {
  readonly #o: NodeStatusOptions & { intervalMs: number; streamPort: number };
  readonly #nodeIP: string;
  #lastJson = "";
  #readySince = new Date().toISOString();
  #readyStatus = "";
  #nudge: (() => void) | undefined;

  constructor(options: NodeStatusOptions) {
    this.#o = { intervalMs: 10_000, streamPort: 10350, ...options };
    this.#nodeIP = options.nodeIP ?? defaultNodeIP();
  }

  /** The address reported as InternalIP (also the pods' hostIP). */
  get nodeIP(): string {
    return this.#nodeIP;
  }

  /** Sends soon, e.g. after the link came back. */
  nudge(): void {
    this.#lastJson = "";
    this.#nudge?.();
  }

  /** Reports until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    let lastSent = 0;
    while (!signal.aborted) {
      const content = await this.build(signal);
      // the heartbeat time changes every build: compare everything else
      const { conditions, ...rest } = content.Status;
      const ready = (conditions as { status: string; message: string }[])[0];
      const fingerprint = JSON.stringify([rest, ready.status, ready.message]);
      if (fingerprint !== this.#lastJson || Date.now() - lastSent >= this.#o.intervalMs) {
        try {
          await this.#o.send(content);
          lastSent = Date.now();
          this.#lastJson = fingerprint;
        } catch (e) {
          this.#o.log.warn("cannot send node status", { error: e instanceof Error ? e.message : String(e) });
        }
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, Math.min(this.#o.intervalMs, 2000));
        t.unref?.();
        const onAbort = () => done();
        signal.addEventListener("abort", onAbort, { once: true });
        this.#nudge = done;
        function done() {
          clearTimeout(t);
          signal.removeEventListener("abort", onAbort);
          resolve();
        }
      });
    }
  }

  /** The status now. */
  async build(signal?: AbortSignal): Promise<NodeStatusContent> {
    const { runtime, nodeName, maxPods } = this.#o;
    let runtimeVersion = runtime ? "docker://unknown" : "";
    let engineError = "";
    if (runtime) {
      try {
        runtimeVersion = `docker://${(await runtime.version(AbortSignal.any([AbortSignal.timeout(5000), ...(signal ? [signal] : [])]))).version}`;
      } catch (e) {
        engineError = engineDown(e, this.#o.runtimeEndpoint);
      }
    }
    const ready = engineError === "";
    const readyText = ready ? "True" : "False";
    if (readyText !== this.#readyStatus) {
      this.#readyStatus = readyText;
      this.#readySince = new Date().toISOString();
      if (!ready) this.#o.log.warn("node is NotReady", { message: engineError });
      const said = `Node ${nodeName} status is now: ${ready ? "NodeReady" : `NodeNotReady (ContainerRuntimeDown: ${engineError})`}`;
      this.#o.recordEvent?.(ready ? "Normal" : "Warning", ready ? "NodeReady" : "NodeNotReady", said);
    }
    const now = new Date().toISOString();
    const cpu = String(cpus().length);
    const memory = `${Math.floor(totalmem() / 1024)}Ki`;
    const resources = { cpu, memory, pods: String(runtime ? maxPods : 0) };
    const goArch = ({ x64: "amd64", arm64: "arm64", arm: "arm", ia32: "386" } as Record<string, string>)[arch()] ?? arch();
    const host = hostname();
    const status: Record<string, unknown> = {
      capacity: resources,
      allocatable: resources,
      conditions: [{
        type: "Ready",
        status: readyText,
        reason: ready ? "EdgeReady" : "KubeletNotReady",
        message: ready ? (runtime ? "edge is posting ready status" : "edge is posting ready status; devices only (edged.enable: false), no pods") : engineError,
        lastHeartbeatTime: now,
        lastTransitionTime: this.#readySince,
      }],
      addresses: [{ type: "InternalIP", address: this.#nodeIP }, { type: "Hostname", address: host }],
      daemonEndpoints: { kubeletEndpoint: { Port: this.#o.streamPort } },
      nodeInfo: {
        machineID: await firstLine("/etc/machine-id"),
        systemUUID: "",
        bootID: await readBootId(),
        kernelVersion: release(),
        osImage: await osImage(),
        containerRuntimeVersion: runtimeVersion,
        kubeletVersion: VERSION,
        kubeProxyVersion: "",
        operatingSystem: platform(),
        architecture: goArch,
      },
    };
    const labels = {
      "kubernetes.io/hostname": nodeName,
      "kubernetes.io/os": platform(),
      "kubernetes.io/arch": goArch,
      "node-role.kubernetes.io/edge": "",
      "node-role.kubernetes.io/agent": "",
    };
    return { UID: "", Status: status, ExtendResources: null, Labels: labels };
  }
}

/**
 * Kubelet's wording for an engine that does not answer: `container runtime is down: cannot reach <socket>: ENOENT`
 * when the socket cannot be dialled (the errno says why: missing, refused, no permission), else the engine's error.
 */
function engineDown(e: unknown, endpoint: string | undefined): string {
  for (let c: unknown = e, depth = 0; c instanceof Error && depth < 5; c = c.cause, depth++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return `container runtime is down: cannot reach ${endpoint ?? "the engine"}: ${code}`;
  }
  return `container runtime is down: ${e instanceof Error ? e.message : String(e)}`;
}

async function firstLine(path: string): Promise<string> {
  return (await readFile(path, "utf8").catch(() => "")).split("\n")[0].trim();
}

async function osImage(): Promise<string> {
  const text = await readFile("/etc/os-release", "utf8").catch(() => "");
  const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(text);
  return m ? m[1] : platform();
}
