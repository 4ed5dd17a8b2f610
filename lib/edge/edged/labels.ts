/**
 * Labels Edged puts on every container it creates. They make the engine the source of truth about what runs: a
 * restarted edge_core finds each pod's containers, their attempt (restart count) and the spec they were made from,
 * and adopts them instead of recreating them. The node label keeps several nodes on one engine apart.
 *
 * @module
 */
import { createHash } from "node:crypto";

/** Label keys. */
export const Label = {
  node: "kubeedge-ts.node",
  namespace: "kubeedge-ts.pod.namespace",
  pod: "kubeedge-ts.pod.name",
  uid: "kubeedge-ts.pod.uid",
  container: "kubeedge-ts.container.name",
  /** "sandbox", "init" or "app". */
  role: "kubeedge-ts.container.role",
  /** Restart count: 0 for the first container of a name, +1 for each replacement. */
  attempt: "kubeedge-ts.container.attempt",
  /** Hash of the container's spec; a different hash means the spec changed and the container is replaced. */
  hash: "kubeedge-ts.container.hash",
  /** The sandbox an app or init container joined; a new sandbox means its containers are replaced. */
  sandbox: "kubeedge-ts.container.sandbox",
  /** Grace period in seconds, for stopping containers of pods no longer known (orphans). */
  grace: "kubeedge-ts.pod.grace-seconds",
} as const;

/** The container name a sandbox carries in {@link Label.container}. */
export const SANDBOX_NAME = "POD";

/** Container roles. */
export type ContainerRole = "sandbox" | "init" | "app";

/** The attempt number on a container's labels (0 when absent or unreadable). */
export function attemptOf(labels: Record<string, string>): number {
  const n = Number(labels[Label.attempt]);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

/**
 * A short stable hash of a container spec. Keys are sorted first: the same spec re-serialised by another component
 * (cloud informer, store) must not look changed, or its container would be replaced for nothing.
 */
export function specHash(spec: unknown): string {
  return createHash("sha256").update(canonicalJson(spec)).digest("hex").slice(0, 16);
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** The engine's name for a container: `k8s_<container>_<pod>_<namespace>_<uid>_<attempt>`, unique per attempt. */
export function containerName(ns: string, pod: string, uid: string, container: string, attempt: number): string {
  return `k8s_${container}_${pod}_${ns}_${uid}_${attempt}`;
}
