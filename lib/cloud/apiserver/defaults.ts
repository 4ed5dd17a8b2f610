/**
 * Server-side defaulting per kind: what a real apiserver adds to an object before storing it, so `get -o yaml` and
 * `describe` look as users expect (protocol TCP, restartPolicy, stringData -> data, ...).
 *
 * @module
 */
import { isPlainObject, type JsonObject, type JsonValue, type KubeObject } from "../../kube/index.ts";
import { admitPodSpec, defaultPodSpec, qosClass } from "./pod_defaults.ts";

/** What defaulting needs besides the object: whether it is new, and allocators for service addresses. */
export type DefaultingContext = {
  op: "create" | "update";
  /** The stored object an update replaces. */
  previous?: KubeObject;
  /** A free cluster IP for a new service. */
  allocateClusterIP(): string;
  /** A free node port for a NodePort or LoadBalancer service, other than `alsoTaken`. */
  allocateNodePort(alsoTaken: readonly number[]): number;
};

type Defaulter = (obj: KubeObject, ctx: DefaultingContext) => void;

function objects(v: JsonValue | undefined): JsonObject[] {
  return Array.isArray(v) ? v.filter(isPlainObject) : [];
}

function ensureObject(parent: JsonObject, key: string): JsonObject {
  const v = parent[key];
  if (isPlainObject(v)) return v;
  const fresh: JsonObject = {};
  parent[key] = fresh;
  return fresh;
}

function setDefault(obj: JsonObject, key: string, value: JsonValue): void {
  if (obj[key] === undefined || obj[key] === null) obj[key] = value;
}

function defaultPod(pod: KubeObject, ctx: DefaultingContext): void {
  const spec = ensureObject(pod, "spec");
  if (ctx.op === "create") admitPodSpec(spec);
  defaultPodSpec(spec);
  const status = ensureObject(pod, "status");
  if (ctx.op === "create") {
    setDefault(status, "phase", "Pending");
    status.qosClass = qosClass(spec);
  }
  // kubectl -o wide and describe read podIPs/hostIPs; an edge that reports only podIP/hostIP still shows up.
  if (typeof status.podIP === "string" && status.podIP && !Array.isArray(status.podIPs)) status.podIPs = [{ ip: status.podIP }];
  if (typeof status.hostIP === "string" && status.hostIP && !Array.isArray(status.hostIPs)) status.hostIPs = [{ ip: status.hostIP }];
}

function defaultTemplate(owner: KubeObject): void {
  const spec = ensureObject(owner, "spec");
  setDefault(spec, "replicas", 1);
  const template = ensureObject(spec, "template");
  defaultPodSpec(ensureObject(template, "spec"));
}

function defaultDeployment(d: KubeObject): void {
  defaultTemplate(d);
  const spec = d.spec as JsonObject;
  setDefault(spec, "revisionHistoryLimit", 10);
  setDefault(spec, "progressDeadlineSeconds", 600);
  const strategy = ensureObject(spec, "strategy");
  setDefault(strategy, "type", "RollingUpdate");
  if (strategy.type === "RollingUpdate") {
    const ru = ensureObject(strategy, "rollingUpdate");
    setDefault(ru, "maxUnavailable", "25%");
    setDefault(ru, "maxSurge", "25%");
  }
}

function defaultSecret(s: KubeObject): void {
  setDefault(s, "type", "Opaque");
  // A write-only convenience field: folded into base64 data, never stored.
  if (isPlainObject(s.stringData)) {
    const data = ensureObject(s, "data");
    for (const [k, v] of Object.entries(s.stringData)) data[k] = Buffer.from(String(v ?? ""), "utf8").toString("base64");
  }
  delete s.stringData;
}

function defaultNamespace(ns: KubeObject, ctx: DefaultingContext): void {
  const meta = ns.metadata!;
  meta.labels = { ...(meta.labels ?? {}), "kubernetes.io/metadata.name": meta.name! };
  const spec = ensureObject(ns, "spec");
  if (ctx.op === "create") setDefault(spec, "finalizers", ["kubernetes"]);
  const status = ensureObject(ns, "status");
  setDefault(status, "phase", "Active");
}

function defaultService(svc: KubeObject, ctx: DefaultingContext): void {
  const spec = ensureObject(svc, "spec");
  const prev = isPlainObject(ctx.previous?.spec) ? ctx.previous.spec : undefined;
  setDefault(spec, "type", "ClusterIP");
  setDefault(spec, "sessionAffinity", "None");
  if (spec.type !== "ExternalName") {
    setDefault(spec, "internalTrafficPolicy", "Cluster");
    if (!spec.clusterIP && prev?.clusterIP) spec.clusterIP = prev.clusterIP;
    if (!spec.clusterIP) spec.clusterIP = ctx.allocateClusterIP();
    spec.clusterIPs = [spec.clusterIP as string];
    if (spec.clusterIP !== "None") {
      setDefault(spec, "ipFamilies", ["IPv4"]);
      setDefault(spec, "ipFamilyPolicy", "SingleStack");
    }
  }
  const needsNodePort = spec.type === "NodePort" || spec.type === "LoadBalancer";
  if (needsNodePort) setDefault(spec, "externalTrafficPolicy", "Cluster");
  const prevPorts = objects(prev?.ports);
  const ports = objects(spec.ports);
  const taken = ports.map((p) => p.nodePort).filter((n): n is number => typeof n === "number");
  for (const p of ports) {
    setDefault(p, "protocol", "TCP");
    setDefault(p, "targetPort", p.port ?? null);
    if (needsNodePort && !p.nodePort) {
      const same = prevPorts.find((q) => q.port === p.port && (q.protocol ?? "TCP") === p.protocol);
      p.nodePort = typeof same?.nodePort === "number" ? same.nodePort : ctx.allocateNodePort(taken);
      taken.push(p.nodePort);
    }
  }
  setDefault(svc, "status", { loadBalancer: {} });
}

function defaultEndpoints(ep: KubeObject): void {
  for (const subset of objects(ep.subsets)) for (const p of objects(subset.ports)) setDefault(p, "protocol", "TCP");
}

const DEFAULTERS: Readonly<Record<string, Defaulter>> = {
  "/Pod": defaultPod,
  "/Secret": defaultSecret,
  "/Namespace": defaultNamespace,
  "/Service": defaultService,
  "/Endpoints": defaultEndpoints,
  "apps/Deployment": defaultDeployment,
  "apps/ReplicaSet": defaultTemplate,
};

/**
 * Applies a kind's defaults in place. Kinds without defaults (config maps, custom resources, ...) are left as sent.
 *
 * @param group the object's API group ("" for core)
 */
export function applyDefaults(group: string, obj: KubeObject, ctx: DefaultingContext): void {
  const defaulter = DEFAULTERS[`${group}/${obj.kind}`];
  if (defaulter) defaulter(obj, ctx);
}
