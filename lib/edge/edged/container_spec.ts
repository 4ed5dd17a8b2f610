/**
 * Maps a pod's sandbox and containers onto runtime container specs: labels, command and args with `$(VAR)`
 * expansion, environment, mounts (with subPath), published host ports (on the sandbox, which owns the network),
 * resource limits and security settings.
 *
 * @module
 */
import { join } from "node:path";
import { EdgedError } from "./edged_error.ts";
import { expandVars } from "./field_ref.ts";
import { containerName, type ContainerRole, Label, SANDBOX_NAME, specHash } from "./labels.ts";
import type { PreparedVolume } from "./pod_volumes.ts";
import { parseQuantity } from "../../kube/index.ts";
import type { ContainerSpec, PortBinding } from "./runtime/index.ts";
import type { Container, Pod } from "./types.ts";

/** Kubelet's default grace period in seconds. */
export const DEFAULT_GRACE_SECONDS = 30;

/** The labels every container of `pod` carries. */
export function podLabels(pod: Pod, nodeName: string, name: string, role: ContainerRole, attempt: number): Record<string, string> {
  return {
    [Label.node]: nodeName,
    [Label.namespace]: pod.metadata.namespace ?? "default",
    [Label.pod]: pod.metadata.name ?? "",
    [Label.uid]: pod.metadata.uid ?? "",
    [Label.container]: name,
    [Label.role]: role,
    [Label.attempt]: String(attempt),
    [Label.grace]: String(pod.spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS),
  };
}

/** The engine name of one attempt of a pod's container. */
export function engineName(pod: Pod, container: string, attempt: number): string {
  const m = pod.metadata;
  return containerName(m.namespace ?? "default", m.name ?? "", m.uid ?? "", container, attempt);
}

/** The hash recorded on a container to notice spec changes. */
export function containerHash(c: Container): string {
  return specHash(c);
}

/**
 * The sandbox: a busybox shell that sleeps until SIGTERM, owning the pod's network (and its published host ports)
 * so all containers of the pod share localhost and one IP.
 */
export function sandboxSpec(pod: Pod, o: { nodeName: string; image: string; attempt: number }): ContainerSpec {
  const ports: PortBinding[] = [];
  for (const c of pod.spec.containers) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || pod.spec.hostNetwork) continue;
      ports.push({ containerPort: p.containerPort, hostPort: p.hostPort, hostIP: p.hostIP, protocol: protocolOf(p.protocol) });
    }
  }
  return {
    name: engineName(pod, SANDBOX_NAME, o.attempt),
    image: o.image,
    labels: podLabels(pod, o.nodeName, SANDBOX_NAME, "sandbox", o.attempt),
    cmd: ["sh", "-c", "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait; done"],
    env: [],
    mounts: [],
    network: pod.spec.hostNetwork ? "host" : "bridge",
    hostname: pod.spec.hostNetwork ? undefined : (pod.spec.hostname ?? pod.metadata.name ?? "").slice(0, 63),
    ports,
    cpuShares: 2,
  };
}

/** What an app or init container's spec depends on besides the pod. */
export type ContainerContext = {
  nodeName: string;
  sandboxId: string;
  role: ContainerRole;
  attempt: number;
  env: ReadonlyMap<string, string>;
  volumes: ReadonlyMap<string, PreparedVolume>;
};

/**
 * The runtime spec of one attempt of `c`.
 *
 * @throws EdgedError `EDGED_CONFIG` for a mount of an unknown volume or a quantity that does not parse
 */
export function appContainerSpec(pod: Pod, c: Container, ctx: ContainerContext): ContainerSpec {
  const labels = podLabels(pod, ctx.nodeName, c.name, ctx.role, ctx.attempt);
  labels[Label.hash] = containerHash(c);
  labels[Label.sandbox] = ctx.sandboxId;
  const mounts = (c.volumeMounts ?? []).map((m) => {
    const v = ctx.volumes.get(m.name);
    if (!v) throw new EdgedError("EDGED_CONFIG", `Cannot mount volume "${m.name}" in container "${c.name}": the pod has no such volume`);
    return { source: m.subPath ? join(v.hostPath, m.subPath) : v.hostPath, target: m.mountPath, readOnly: v.readOnly || (m.readOnly ?? false) };
  });
  const sc = { ...pod.spec.securityContext, ...c.securityContext };
  const limits = c.resources?.limits ?? {};
  const requests = c.resources?.requests ?? {};
  const quantity = (what: string, q: string | number) => {
    try {
      return parseQuantity(q);
    } catch (e) {
      throw new EdgedError("EDGED_CONFIG", `Cannot set ${what} of container "${c.name}": ${(e as Error).message}`);
    }
  };
  const cpuRequest = requests.cpu ?? limits.cpu;
  return {
    name: engineName(pod, c.name, ctx.attempt),
    image: c.image ?? "",
    labels,
    entrypoint: c.command?.map((s) => expandVars(s, ctx.env)),
    cmd: c.args?.map((s) => expandVars(s, ctx.env)),
    env: [...ctx.env].map(([k, v]) => `${k}=${v}`),
    workingDir: c.workingDir,
    user: sc.runAsUser !== undefined ? (sc.runAsGroup !== undefined ? `${sc.runAsUser}:${sc.runAsGroup}` : String(sc.runAsUser)) : undefined,
    privileged: sc.privileged,
    readOnlyRootfs: sc.readOnlyRootFilesystem,
    capAdd: sc.capabilities?.add,
    capDrop: sc.capabilities?.drop,
    mounts,
    network: `container:${ctx.sandboxId}`,
    ports: [],
    memoryBytes: limits.memory !== undefined ? Math.round(quantity("memory limit", limits.memory)) : undefined,
    nanoCpus: limits.cpu !== undefined ? Math.round(quantity("cpu limit", limits.cpu) * 1e9) : undefined,
    // cpu shares follow the request, as the kubelet maps them: 1 core = 1024 shares, at least 2
    cpuShares: cpuRequest !== undefined ? Math.max(2, Math.round(quantity("cpu request", cpuRequest) * 1024)) : undefined,
    tty: c.tty,
    stdin: c.stdin,
  };
}

function protocolOf(p: string | undefined): PortBinding["protocol"] {
  const l = (p ?? "TCP").toLowerCase();
  return l === "udp" ? "udp" : l === "sctp" ? "sctp" : "tcp";
}
