/**
 * Edged's options and their defaults, in one place.
 *
 * @module
 */
import type { Store } from "../../store/types.ts";
import type { ContainerRuntime } from "./runtime/index.ts";
import { BUSYBOX_IMAGE } from "./runtime/index.ts";
import { BOOT_ID_PATH } from "./boot_id.ts";

/** How Edged is set up. `nodeName` and `dataDir` are required; everything else has a default. */
export type EdgedOptions = {
  nodeName: string;
  /** Pod volumes go under `<dataDir>/pods/<uid>/volumes`. */
  dataDir: string;
  /** Docker Engine API socket. @default "/var/run/docker.sock" */
  dockerSocket?: string;
  /** A runtime to use instead of Docker at `dockerSocket` (not closed by Edged). */
  runtime?: ContainerRuntime;
  /** Reported as InternalIP and the pods' hostIP. Default: the first non-loopback IPv4 address. */
  nodeIP?: string;
  /** @default 110 */
  maxPods?: number;
  /** Node status interval. @default 10000 */
  statusIntervalMs?: number;
  /** How often node and container CPU and memory are measured and sent for `kubectl top`. @default 15000 (ms) */
  resourceUsageIntervalMs?: number;
  /**
   * Engine stats calls at once while measuring. The engine answers each at its next one-second collection tick, so
   * a pass takes about one second per `resourceUsageConcurrency` containers. @default 8
   */
  resourceUsageConcurrency?: number;
  /** Longest time between two reconcile passes of a pod. @default 10000 */
  podResyncMs?: number;
  /** An unchanged pod status is re-sent after this long. @default 60000 */
  podStatusResendMs?: number;
  /** First restart back-off; doubles per crash. @default 10000 */
  restartBackoffBaseMs?: number;
  /** @default 300000 */
  restartBackoffMaxMs?: number;
  /** First wait after a failed image pull. @default 10000 */
  pullBackoffBaseMs?: number;
  /** @default 300000 */
  pullBackoffMaxMs?: number;
  /** Image of the pod sandbox that holds the network. @default "kubeedge-ts/busybox:latest" */
  sandboxImage?: string;
  /** Static busybox used to build the busybox image offline when missing. @default "/bin/busybox" */
  busyboxPath?: string;
  /** Pod syncs talking to the engine at once. @default 8 */
  concurrentSyncs?: number;
  /** Wait for MetaManager's answer to a query. @default 15000 */
  queryTimeoutMs?: number;
  /** Module that stores objects and forwards statuses. @default "metamanager" */
  metaModule?: string;
  /** The edge store, where the last boot id is kept (for the Rebooted Event); without it reboots are not told. */
  store?: Store;
  /** Where this boot's id is read. @default "/proc/sys/kernel/random/boot_id" */
  bootIdPath?: string;
};

/** The defaults. */
export const EDGED_DEFAULTS = {
  dockerSocket: "/var/run/docker.sock",
  maxPods: 110,
  statusIntervalMs: 10_000,
  resourceUsageIntervalMs: 15_000,
  resourceUsageConcurrency: 8,
  podResyncMs: 10_000,
  podStatusResendMs: 60_000,
  restartBackoffBaseMs: 10_000,
  restartBackoffMaxMs: 300_000,
  pullBackoffBaseMs: 10_000,
  pullBackoffMaxMs: 300_000,
  sandboxImage: BUSYBOX_IMAGE,
  busyboxPath: "/bin/busybox",
  concurrentSyncs: 8,
  queryTimeoutMs: 15_000,
  metaModule: "metamanager",
  bootIdPath: BOOT_ID_PATH,
};

/** Options with every default filled in. */
export type ResolvedEdgedOptions = typeof EDGED_DEFAULTS & EdgedOptions;
