/**
 * {@link ContainerRuntime} over the Docker Engine API on its unix socket. Paths are version-prefixed (`/v1.41/...`);
 * the version is settled by asking `/version` first.
 *
 * @module
 */
import type { IncomingMessage } from "node:http";
import { readText, UnixHttpClient } from "./_unix_http.ts";
import { startExec } from "./docker_exec.ts";
import { type DockerStats, toContainerStats } from "./docker_stats.ts";
import { RuntimeError } from "./runtime_error.ts";
import { StdioDemuxer } from "./stdio_demux.ts";
import type {
  ContainerDetails, ContainerRuntime, ContainerSpec, ContainerStats, ContainerSummary, ExecOptions, ExecSession, ImageInfo, LogOptions,
  RuntimeEvent, RuntimeVersion,
} from "./types.ts";

/** Where the engine is and how long to wait for it. */
export type DockerRuntimeOptions = {
  /** @default "/var/run/docker.sock" */
  socketPath?: string;
  /** Longest wait for one non-streaming request. @default 30000 */
  requestTimeoutMs?: number;
  /** Parallel connections to the engine. @default 16 */
  connections?: number;
};

const DEFAULTS = { socketPath: "/var/run/docker.sock", requestTimeoutMs: 30_000, connections: 16 };

/** The API version we speak when the engine offers it; older engines are spoken to in their own version. */
const PREFERRED_API = "1.41";

type Call = { query?: Record<string, string | number | boolean | undefined>; body?: unknown; raw?: Uint8Array; signal?: AbortSignal };

/**
 * The Docker engine.
 *
 * @example List this node's containers
 * ```ts
 * const docker = new DockerRuntime({ socketPath: "/var/run/docker.sock" });
 * const mine = await docker.listContainers({ "kubeedge-ts.node": "edge-1" });
 * await docker.close();
 * ```
 */
export class DockerRuntime implements ContainerRuntime {
  readonly #opts: typeof DEFAULTS;
  readonly #http: UnixHttpClient;
  #prefix?: Promise<string>;

  constructor(options: DockerRuntimeOptions = {}) {
    this.#opts = { ...DEFAULTS, ...options };
    this.#http = new UnixHttpClient(this.#opts.socketPath, this.#opts.connections);
  }

  /** The socket this runtime talks to. */
  get socketPath(): string {
    return this.#opts.socketPath;
  }

  async version(signal?: AbortSignal): Promise<RuntimeVersion> {
    const v = await this.#raw<{ Version: string; ApiVersion: string }>("GET", "/version", { signal });
    return { name: "docker", version: v.Version, apiVersion: v.ApiVersion };
  }

  async inspectImage(ref: string, signal?: AbortSignal): Promise<ImageInfo | undefined> {
    try {
      return toImage(await this.#call<DockerImage>("GET", `/images/${encodeURIComponent(ref)}/json`, { signal }));
    } catch (e) {
      if (e instanceof RuntimeError && e.code === "RUNTIME_NOT_FOUND") return undefined;
      throw e;
    }
  }

  async listImages(signal?: AbortSignal): Promise<ImageInfo[]> {
    return (await this.#call<DockerImage[]>("GET", "/images/json", { signal })).map(toImage);
  }

  async pullImage(ref: string, signal?: AbortSignal): Promise<void> {
    const { name, tag } = splitImageRef(ref);
    try {
      await this.#progress("POST", "/images/create", { query: { fromImage: name, tag }, signal });
    } catch (e) {
      if (e instanceof RuntimeError && e.code !== "RUNTIME_UNREACHABLE") {
        throw new RuntimeError("RUNTIME_PULL", e.message.replace(/^Cannot [^:]+: /, `Cannot pull image "${ref}": `), { cause: e, status: e.status });
      }
      throw e;
    }
  }

  async importImage(tar: Uint8Array, ref: string, signal?: AbortSignal): Promise<void> {
    const { name, tag } = splitImageRef(ref);
    await this.#progress("POST", "/images/create", { query: { fromSrc: "-", repo: name, tag }, raw: tar, signal });
  }

  async createContainer(spec: ContainerSpec, signal?: AbortSignal): Promise<string> {
    const r = await this.#call<{ Id: string }>("POST", "/containers/create", { query: { name: spec.name }, body: toCreateBody(spec), signal });
    return r.Id;
  }

  async startContainer(id: string, signal?: AbortSignal): Promise<void> {
    await this.#call("POST", `/containers/${encodeURIComponent(id)}/start`, { signal });
  }

  async stopContainer(id: string, graceSeconds: number, signal?: AbortSignal): Promise<void> {
    const t = Math.max(0, Math.ceil(graceSeconds));
    try {
      await this.#call("POST", `/containers/${encodeURIComponent(id)}/stop`, { query: { t }, signal, timeoutMs: (t + 30) * 1000 });
    } catch (e) {
      if (!(e instanceof RuntimeError && e.code === "RUNTIME_NOT_FOUND")) throw e;
    }
  }

  async removeContainer(id: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.#call("DELETE", `/containers/${encodeURIComponent(id)}`, { query: { force: true, v: true }, signal });
    } catch (e) {
      // 409: a removal of this container is already under way
      if (!(e instanceof RuntimeError && (e.code === "RUNTIME_NOT_FOUND" || e.code === "RUNTIME_CONFLICT"))) throw e;
    }
  }

  async listContainers(labels: Record<string, string>, signal?: AbortSignal): Promise<ContainerSummary[]> {
    const filters = JSON.stringify({ label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) });
    const list = await this.#call<DockerListed[]>("GET", "/containers/json", { query: { all: true, filters }, signal });
    return list.map((c) => ({ id: c.Id, name: (c.Names?.[0] ?? "").replace(/^\//, ""), labels: c.Labels ?? {}, state: c.State, createdMs: c.Created * 1000 }));
  }

  async inspectContainer(id: string, signal?: AbortSignal): Promise<ContainerDetails | undefined> {
    let c: DockerInspect;
    try {
      c = await this.#call<DockerInspect>("GET", `/containers/${encodeURIComponent(id)}/json`, { signal });
    } catch (e) {
      if (e instanceof RuntimeError && e.code === "RUNTIME_NOT_FOUND") return undefined;
      throw e;
    }
    const s = c.State;
    const nets = Object.values(c.NetworkSettings?.Networks ?? {});
    return {
      id: c.Id,
      name: c.Name.replace(/^\//, ""),
      labels: c.Config.Labels ?? {},
      state: s.Status,
      createdMs: Date.parse(c.Created),
      running: s.Running,
      exitCode: s.ExitCode,
      oomKilled: s.OOMKilled,
      error: s.Error ?? "",
      startedAt: realTime(s.StartedAt),
      finishedAt: realTime(s.FinishedAt),
      image: c.Config.Image,
      imageId: c.Image,
      ip: nets.find((n) => n.IPAddress)?.IPAddress ?? "",
    };
  }

  async containerStats(id: string, signal?: AbortSignal): Promise<ContainerStats | undefined> {
    try {
      // one-shot: the engine answers at once instead of waiting a second for a second CPU reading
      const s = await this.#call<DockerStats>("GET", `/containers/${encodeURIComponent(id)}/stats`, { query: { stream: false, "one-shot": true }, signal });
      return toContainerStats(s, Date.now());
    } catch (e) {
      if (e instanceof RuntimeError && e.code === "RUNTIME_NOT_FOUND") return undefined;
      throw e;
    }
  }

  async *logs(id: string, options: LogOptions = {}): AsyncIterable<Uint8Array> {
    const details = await this.#call<{ Config: { Tty: boolean } }>("GET", `/containers/${encodeURIComponent(id)}/json`, { signal: options.signal });
    const res = await this.#send("GET", `/containers/${encodeURIComponent(id)}/logs`, {
      query: {
        stdout: true,
        stderr: true,
        follow: options.follow ?? false,
        timestamps: options.timestamps ?? false,
        tail: options.tailLines ?? "all",
        since: options.sinceSeconds ? Math.floor(Date.now() / 1000 - options.sinceSeconds) : undefined,
      },
      signal: options.signal,
      timeoutMs: 0,
    });
    const demux = details.Config.Tty ? undefined : new StdioDemuxer();
    try {
      for await (const chunk of res as AsyncIterable<Buffer>) {
        if (!demux) yield new Uint8Array(chunk);
        else for (const f of demux.push(chunk)) yield f.data;
      }
    } catch (e) {
      if (!options.signal?.aborted) throw e;
    } finally {
      res.destroy();
    }
  }

  async *events(labels: Record<string, string>, signal: AbortSignal): AsyncIterable<RuntimeEvent> {
    const filters = JSON.stringify({ type: ["container"], label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) });
    const res = await this.#send("GET", await this.#path("/events"), { query: { filters }, signal, timeoutMs: 0 });
    let rest = "";
    try {
      for await (const chunk of res as AsyncIterable<Buffer>) {
        rest += chunk.toString("utf8");
        let nl;
        while ((nl = rest.indexOf("\n")) >= 0) {
          const line = rest.slice(0, nl).trim();
          rest = rest.slice(nl + 1);
          if (!line) continue;
          const e = JSON.parse(line) as { id?: string; Action?: string; status?: string; Actor?: { Attributes?: Record<string, string> }; timeNano?: number };
          yield { id: e.id ?? "", action: e.Action ?? e.status ?? "", labels: e.Actor?.Attributes ?? {}, timeMs: Math.floor((e.timeNano ?? 0) / 1e6) };
        }
      }
    } catch (e) {
      if (!signal.aborted) throw e;
    } finally {
      res.destroy();
    }
  }

  exec(id: string, options: ExecOptions): Promise<ExecSession> {
    return startExec({
      socketPath: this.#opts.socketPath,
      apiPath: (p) => this.#path(p),
      call: (method, path, body, signal) => this.#call(method, path, { body, signal }),
      requestTimeoutMs: this.#opts.requestTimeoutMs,
    }, id, options);
  }

  async close(): Promise<void> {
    this.#http.close();
  }

  #path(path: string): Promise<string> {
    this.#prefix ??= this.#raw<{ ApiVersion: string }>("GET", "/version", {}).then((v) => {
      return `/v${compareVersions(v.ApiVersion, PREFERRED_API) < 0 ? v.ApiVersion : PREFERRED_API}`;
    }, (e) => {
      this.#prefix = undefined;
      throw e;
    });
    return this.#prefix.then((p) => p + path);
  }

  async #call<T>(method: string, path: string, c: Call & { timeoutMs?: number }): Promise<T> {
    const res = await this.#send(method, await this.#path(path), c);
    const text = await readText(res);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async #raw<T>(method: string, path: string, c: Call): Promise<T> {
    const res = await this.#send(method, path, c);
    return JSON.parse(await readText(res)) as T;
  }

  /** Reads a progress stream (pull, import): HTTP 200 with JSON lines, any of which may carry an `error`. */
  async #progress(method: string, path: string, c: Call): Promise<void> {
    const res = await this.#send(method, await this.#path(path), { ...c, timeoutMs: 0 });
    const text = await readText(res);
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      const m = JSON.parse(line) as { error?: string; errorDetail?: { message?: string } };
      if (m.error) throw new RuntimeError("RUNTIME_REQUEST", `Cannot ${method} "${path}": ${m.errorDetail?.message ?? m.error}`, { status: 200 });
    }
  }

  async #send(method: string, path: string, c: Call & { timeoutMs?: number }): Promise<IncomingMessage> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(c.query ?? {})) if (v !== undefined) qs.set(k, String(v));
    const full = qs.size ? `${path}?${qs}` : path;
    let res: IncomingMessage;
    try {
      res = await this.#http.send({
        method,
        path: full,
        headers: c.raw ? { "content-type": "application/x-tar" } : c.body !== undefined ? { "content-type": "application/json" } : {},
        body: c.raw ?? (c.body !== undefined ? JSON.stringify(c.body) : undefined),
        signal: c.signal,
        timeoutMs: c.timeoutMs ?? this.#opts.requestTimeoutMs,
      });
    } catch (e) {
      if (c.signal?.aborted) throw e;
      const why = e instanceof Error ? e.message : String(e);
      throw new RuntimeError("RUNTIME_UNREACHABLE", `Cannot ${method} "${path}": engine at "${this.#opts.socketPath}" does not answer: ${why}`, { cause: e });
    }
    const s = res.statusCode ?? 0;
    if (s >= 300 && s !== 304) {
      const text = await readText(res).catch(() => "");
      let message = text.trim();
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message;
      } catch {
        // a plain-text answer is already the message
      }
      const code = s === 404 ? "RUNTIME_NOT_FOUND" : s === 409 ? "RUNTIME_CONFLICT" : "RUNTIME_REQUEST";
      throw new RuntimeError(code, `Cannot ${method} "${path}": engine answered ${s}: ${message}`, { status: s });
    }
    return res;
  }
}

/** Splits `repo[:tag][@digest]`; a missing tag is "latest". */
export function splitImageRef(ref: string): { name: string; tag: string } {
  const at = ref.indexOf("@");
  if (at >= 0) return { name: ref.slice(0, at), tag: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(":");
  if (colon > ref.lastIndexOf("/")) return { name: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { name: ref, tag: "latest" };
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number), pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

function realTime(t: string | undefined): string | undefined {
  return !t || t.startsWith("0001-") ? undefined : t;
}

function toCreateBody(s: ContainerSpec): unknown {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of s.ports) {
    const key = `${p.containerPort}/${p.protocol}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: p.hostIP ?? "", HostPort: String(p.hostPort) });
  }
  return {
    Image: s.image,
    Entrypoint: s.entrypoint,
    Cmd: s.cmd,
    Env: s.env,
    WorkingDir: s.workingDir ?? "",
    User: s.user ?? "",
    Labels: s.labels,
    Hostname: s.hostname,
    Tty: s.tty ?? false,
    OpenStdin: s.stdin ?? false,
    ExposedPorts: exposed,
    HostConfig: {
      NetworkMode: s.network,
      PortBindings: bindings,
      Mounts: s.mounts.map((m) => ({ Type: "bind", Source: m.source, Target: m.target, ReadOnly: m.readOnly })),
      Privileged: s.privileged ?? false,
      ReadonlyRootfs: s.readOnlyRootfs ?? false,
      CapAdd: s.capAdd,
      CapDrop: s.capDrop,
      Memory: s.memoryBytes ?? 0,
      NanoCpus: s.nanoCpus ?? 0,
      CpuShares: s.cpuShares ?? 0,
      RestartPolicy: { Name: "no" },
    },
  };
}

type DockerImage = { Id: string; RepoTags?: string[] | null; RepoDigests?: string[] | null; Size: number };
type DockerListed = { Id: string; Names?: string[]; Labels?: Record<string, string>; State: string; Created: number };
type DockerInspect = {
  Id: string;
  Name: string;
  Created: string;
  Image: string;
  Config: { Image: string; Labels?: Record<string, string> };
  State: { Status: string; Running: boolean; ExitCode: number; OOMKilled: boolean; Error?: string; StartedAt?: string; FinishedAt?: string };
  NetworkSettings?: { Networks?: Record<string, { IPAddress?: string }> };
};

function toImage(i: DockerImage): ImageInfo {
  return { id: i.Id, repoTags: i.RepoTags ?? [], repoDigests: i.RepoDigests ?? [], sizeBytes: i.Size };
}
