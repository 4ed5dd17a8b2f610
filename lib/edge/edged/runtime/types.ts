/**
 * The container runtime contract Edged's pod logic is written against. Runtime-neutral shapes: the Docker
 * implementation maps them onto the Engine API, and Edged never sees an Engine API field.
 *
 * @module
 */
import type { Readable, Writable } from "node:stream";

/** What the engine says about itself. */
export type RuntimeVersion = {
  /** "docker" */
  name: string;
  /** Engine version, e.g. "20.10.24+dfsg1". */
  version: string;
  /** API version used for requests, e.g. "1.41". */
  apiVersion: string;
};

/** A locally present image. */
export type ImageInfo = { id: string; repoTags: string[]; repoDigests: string[]; sizeBytes: number };

/** How a container joins a network. `container:<id>` shares another container's network namespace. */
export type NetworkMode = "bridge" | "host" | "none" | `container:${string}`;

/** A host port published to a container port. */
export type PortBinding = { containerPort: number; protocol: "tcp" | "udp" | "sctp"; hostPort: number; hostIP?: string };

/** A bind mount of a host path. */
export type Mount = { source: string; target: string; readOnly: boolean };

/** Everything needed to create one container. */
export type ContainerSpec = {
  name: string;
  image: string;
  labels: Record<string, string>;
  /** Replaces the image entrypoint when set. */
  entrypoint?: string[];
  /** Replaces the image command when set. */
  cmd?: string[];
  env: string[];
  workingDir?: string;
  /** "uid" or "uid:gid". */
  user?: string;
  privileged?: boolean;
  readOnlyRootfs?: boolean;
  capAdd?: string[];
  capDrop?: string[];
  mounts: Mount[];
  network: NetworkMode;
  /** Only for a container that owns its network namespace. */
  hostname?: string;
  ports: PortBinding[];
  memoryBytes?: number;
  nanoCpus?: number;
  cpuShares?: number;
  tty?: boolean;
  stdin?: boolean;
};

/** One container as listed: enough to group containers into pods. */
export type ContainerSummary = {
  id: string;
  name: string;
  labels: Record<string, string>;
  /** "created", "running", "exited", "paused", "restarting", "removing", "dead". */
  state: string;
  createdMs: number;
};

/** One container in detail. Times are RFC 3339 strings; an unset time is undefined. */
export type ContainerDetails = ContainerSummary & {
  running: boolean;
  exitCode: number;
  oomKilled: boolean;
  error: string;
  startedAt?: string;
  finishedAt?: string;
  image: string;
  imageId: string;
  /** The container's IPv4 address on its network ("" when it has none, e.g. a joined or host network). */
  ip: string;
};

/** Options of {@link ContainerRuntime.logs}. */
export type LogOptions = {
  follow?: boolean;
  tailLines?: number;
  timestamps?: boolean;
  sinceSeconds?: number;
  signal?: AbortSignal;
};

/** Options of {@link ContainerRuntime.exec}. */
export type ExecOptions = {
  command: string[];
  stdin?: boolean;
  tty?: boolean;
  env?: string[];
  user?: string;
  signal?: AbortSignal;
};

/** A running exec: its output streams, its input, and its exit code once it ends. */
export type ExecSession = {
  stdout: Readable;
  /** Empty when `tty` is set: a terminal merges both streams into stdout. */
  stderr: Readable;
  /** Present when `stdin` was asked for; ending it closes the process's standard input. */
  stdin: Writable | null;
  resize(width: number, height: number): Promise<void>;
  /** Resolves with the exit code when the process ends. */
  exit: Promise<number>;
  /** Closes the connection (the process may keep running). */
  close(): void;
};

/** One reading of a container's usage. */
export type ContainerStats = {
  /** CPU time used since the container started, in nanoseconds (all cores). */
  cpuNanos: number;
  /** Working set: memory in use minus the inactive file cache, in bytes. */
  memoryBytes: number;
  /** When the engine took the reading (ms since the epoch). */
  readAtMs: number;
};

/** A container lifecycle event: `action` is the engine's ("start", "die", "oom", "destroy", ...). */
export type RuntimeEvent = { id: string; action: string; labels: Record<string, string>; timeMs: number };

/**
 * A container engine. Errors are {@link import("./runtime_error.ts").RuntimeError} with a stable code.
 */
export type ContainerRuntime = {
  version(signal?: AbortSignal): Promise<RuntimeVersion>;
  inspectImage(ref: string, signal?: AbortSignal): Promise<ImageInfo | undefined>;
  pullImage(ref: string, signal?: AbortSignal): Promise<void>;
  /** Imports a root filesystem tar as an image (`docker import`). */
  importImage(tar: Uint8Array, ref: string, signal?: AbortSignal): Promise<void>;
  listImages(signal?: AbortSignal): Promise<ImageInfo[]>;
  createContainer(spec: ContainerSpec, signal?: AbortSignal): Promise<string>;
  startContainer(id: string, signal?: AbortSignal): Promise<void>;
  /** Sends SIGTERM, then SIGKILL after `graceSeconds`. A container that is not running is not an error. */
  stopContainer(id: string, graceSeconds: number, signal?: AbortSignal): Promise<void>;
  /** Removes a container (killing it when running). A missing container is not an error. */
  removeContainer(id: string, signal?: AbortSignal): Promise<void>;
  /** Containers (running or not) carrying all of `labels`. */
  listContainers(labels: Record<string, string>, signal?: AbortSignal): Promise<ContainerSummary[]>;
  inspectContainer(id: string, signal?: AbortSignal): Promise<ContainerDetails | undefined>;
  /** One usage reading of a running container; undefined when it is gone or has no reading. */
  containerStats(id: string, signal?: AbortSignal): Promise<ContainerStats | undefined>;
  /** The container's output, demultiplexed into one byte stream (stdout and stderr interleaved). */
  logs(id: string, options?: LogOptions): AsyncIterable<Uint8Array>;
  exec(id: string, options: ExecOptions): Promise<ExecSession>;
  /** Container events of containers carrying all of `labels`, from now on, until `signal` aborts or the engine goes. */
  events(labels: Record<string, string>, signal: AbortSignal): AsyncIterable<RuntimeEvent>;
  close(): Promise<void>;
};
