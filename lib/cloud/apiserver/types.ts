/**
 * Types shared by the embedded API server's files: served resources, stored objects, watch events, and the hooks
 * that let the edge link serve pod logs and exec.
 *
 * @module
 */
import type { KubeObject } from "../../kube/index.ts";
import type { UsageReport } from "../../model/index.ts";

/** A subresource the server implements for a resource. */
export type SubresourceName = "status" | "scale" | "binding" | "log" | "exec" | "token";

/** Where the replica counts of a resource with a `scale` subresource live (dotted JSON paths). */
export type ScalePaths = { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };

/** One served resource: what discovery, OpenAPI, routing and storage need to know about it. */
export type ResourceInfo = {
  /** API group; "" for core. */
  group: string;
  /** The version served (the storage version too: one version per resource, no conversion). */
  version: string;
  /** Every served version; objects are returned with the requested one in `apiVersion`. */
  versions: readonly string[];
  /** Plural lower-case name in URLs, e.g. "pods". */
  resource: string;
  kind: string;
  listKind: string;
  singular: string;
  namespaced: boolean;
  shortNames: readonly string[];
  categories: readonly string[];
  subresources: readonly SubresourceName[];
  /** Paths behind the scale subresource, when it has one. */
  scale?: ScalePaths;
  /** True when writes count `metadata.generation` up on spec changes. */
  generation: boolean;
  /** The verbs discovery lists. @default every verb of a stored resource */
  verbs?: readonly string[];
  /** The CustomResourceDefinition that defines it; absent for built-in kinds. */
  crd?: string;
};

/** The storage key of a resource independent of version: `pods`, `deployments.apps`. */
export type GroupResource = string;

/** A stored object with its serialised form, cached so lists and watches serialise each write once. */
export type StoredObject = {
  readonly object: KubeObject;
  readonly json: string;
  readonly rv: number;
};

/** The event types of the watch protocol. */
export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

/** One committed change, as the watch history keeps it. */
export type ChangeEvent = {
  readonly type: WatchEventType;
  readonly gr: GroupResource;
  readonly namespace: string;
  readonly rv: number;
  /** The object after the change (for DELETED: its last state with the deletion's resourceVersion). */
  readonly object: KubeObject;
  readonly json: string;
  /** The object before the change, so a filtered watch can turn a MODIFIED into ADDED or DELETED. */
  readonly previous?: KubeObject;
};

/** Which pod and container a log or exec request is for. */
export type PodTarget = { namespace: string; pod: string; container: string; nodeName: string; uid: string };

/** `pods/log` query options (`kubectl logs` flags). */
export type PodLogOptions = {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  limitBytes?: number;
};

/** `pods/exec` query options. */
export type PodExecOptions = { command: string[]; stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean };

/** A terminal size from the resize channel. */
export type TerminalSize = { width: number; height: number };

/** The client side of an exec session, as the server hands it to {@link PodStreams.exec}. */
export type ExecSession = {
  /** Bytes typed by the user; ends when the client closes stdin. Absent without `stdin=true`. */
  stdin?: AsyncIterable<Uint8Array>;
  /** Terminal sizes, first one right away with a tty. */
  resize: AsyncIterable<TerminalSize>;
  /** Sends output to the client; resolves when the client's socket accepted it (backpressure). */
  stdout(chunk: Uint8Array): Promise<void>;
  stderr(chunk: Uint8Array): Promise<void>;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
};

/**
 * Serves `pods/log` and `pods/exec` from wherever the containers run (the edge link, in cloud_core). A method that
 * cannot reach the pod throws; an error with a numeric `status` (HTTP code) is answered with that code, any other
 * with 503.
 */
export type PodStreams = {
  /** The log bytes of one container; a follow stream ends when `signal` aborts or the container stops. */
  logs(target: PodTarget, options: PodLogOptions, signal: AbortSignal): Promise<AsyncIterable<Uint8Array>>;
  /** Runs a command in a container and resolves with its exit code. */
  exec(target: PodTarget, options: PodExecOptions, session: ExecSession): Promise<{ exitCode: number }>;
};

/**
 * Where `metrics.k8s.io` (`kubectl top`) finds usage: the latest report of each node (module resourcemetrics). The
 * API serves a report's pods only where the stored pod is bound to that node, so a node cannot speak for others.
 */
export type ResourceUsageSource = {
  /** Every node with a current report. */
  reports(): Iterable<{ node: string; report: UsageReport }>;
  /** One node's current report. */
  report(node: string): UsageReport | undefined;
};
