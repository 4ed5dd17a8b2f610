/**
 * Shapes DeviceController reads and writes: the Device and DeviceModel custom resources (`devices.kubeedge.io/
 * v1alpha1`, `conf/crds/`) and the twin payloads it exchanges with edge nodes (KubeEdge's JSON).
 *
 * @module
 */
import type { KubeConfig, KubernetesObject } from "@kubernetes/client-node";
import type { Logger } from "../../log/index.ts";

/** `desired` or `reported` of a status twin. */
export type TwinProperty = { value?: string; metadata?: Record<string, string> };

/** One entry of `status.twins`. */
export type StatusTwin = { propertyName: string; desired?: TwinProperty; reported?: TwinProperty };

/** A Device as JSON. */
export type DeviceCR = KubernetesObject & {
  spec?: {
    deviceModelRef?: { name?: string };
    nodeSelector?: { nodeSelectorTerms?: { matchExpressions?: { key?: string; operator?: string; values?: string[] }[] }[] };
    /** Later KubeEdge versions bind a device by name. */
    nodeName?: string;
    [key: string]: unknown;
  };
  status?: { twins?: StatusTwin[]; [key: string]: unknown };
};

/** A DeviceModel as JSON: each property's type is a map with one key (`int`, `string`, `float`, `boolean`, ...). */
export type DeviceModelCR = KubernetesObject & {
  spec?: { properties?: { name?: string; type?: Record<string, unknown> }[] };
};

/** `{cloud, edge}` twin version. */
export type TwinVersion = { cloud: number; edge: number };

/** A twin in edge payloads (MsgTwin). */
export type MsgTwin = {
  expected?: { value?: string | null; metadata?: { timestamp?: number } };
  actual?: { value?: string | null; metadata?: { timestamp?: number } };
  optional?: boolean;
  metadata?: { type?: string };
  expected_version?: TwinVersion;
  actual_version?: TwinVersion;
};

/** A device in membership payloads. */
export type EdgeDevice = { id: string; name: string; description?: string; twin?: Record<string, MsgTwin> };

/** DeviceController options. */
export type DeviceControllerOptions = {
  /** The cluster (a real one, or the embedded API). */
  kubeConfig: KubeConfig;
  /** Wait before retrying a failed list/watch or status write. @default 1000 */
  retryMs?: number;
  /** Longest wait between retries of a failing list/watch (the wait doubles from `retryMs`). @default 30000 */
  retryMaxMs?: number;
  /** Conflicting status writes retried (after re-reading the Device) before giving up. @default 5 */
  maxConflictRetries?: number;
  log?: Logger;
};
