/**
 * Defaulting of pod specs, shared by pods and by the pod templates of deployments and replica sets. These are the
 * values a real apiserver fills in and `kubectl describe` shows.
 *
 * @module
 */
import { isPlainObject, type JsonObject, type JsonValue } from "../../kube/index.ts";

function objects(v: JsonValue | undefined): JsonObject[] {
  return Array.isArray(v) ? v.filter(isPlainObject) : [];
}

function setDefault(obj: JsonObject, key: string, value: JsonValue): void {
  if (obj[key] === undefined || obj[key] === null) obj[key] = value;
}

/** `Always` for images tagged `latest` or untagged (and no digest), otherwise `IfNotPresent`. */
export function defaultPullPolicy(image: string): string {
  if (image.includes("@")) return "IfNotPresent";
  const lastPart = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastPart.lastIndexOf(":");
  return colon < 0 || lastPart.slice(colon + 1) === "latest" ? "Always" : "IfNotPresent";
}

function defaultProbe(probe: JsonValue | undefined): void {
  if (!isPlainObject(probe)) return;
  setDefault(probe, "timeoutSeconds", 1);
  setDefault(probe, "periodSeconds", 10);
  setDefault(probe, "successThreshold", 1);
  setDefault(probe, "failureThreshold", 3);
  if (isPlainObject(probe.httpGet)) setDefault(probe.httpGet, "scheme", "HTTP");
}

function defaultContainer(c: JsonObject): void {
  if (typeof c.image === "string") setDefault(c, "imagePullPolicy", defaultPullPolicy(c.image));
  setDefault(c, "terminationMessagePath", "/dev/termination-log");
  setDefault(c, "terminationMessagePolicy", "File");
  setDefault(c, "resources", {});
  for (const p of objects(c.ports)) setDefault(p, "protocol", "TCP");
  for (const e of objects(c.env)) {
    const ref = isPlainObject(e.valueFrom) ? e.valueFrom.fieldRef : undefined;
    if (isPlainObject(ref)) setDefault(ref, "apiVersion", "v1");
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

function defaultVolume(v: JsonObject): void {
  for (const key of ["configMap", "secret"]) {
    const src = v[key];
    if (isPlainObject(src)) setDefault(src, "defaultMode", 420);
  }
  if (isPlainObject(v.projected)) setDefault(v.projected, "defaultMode", 420);
}

/**
 * Fills the defaults of a pod spec in place (restartPolicy, dnsPolicy, schedulerName, grace period, per-container
 * pull policy, termination message path, port protocol, probe timings, volume modes).
 */
export function defaultPodSpec(spec: JsonObject): void {
  setDefault(spec, "restartPolicy", "Always");
  setDefault(spec, "dnsPolicy", "ClusterFirst");
  setDefault(spec, "schedulerName", "default-scheduler");
  setDefault(spec, "terminationGracePeriodSeconds", 30);
  setDefault(spec, "securityContext", {});
  for (const c of [...objects(spec.containers), ...objects(spec.initContainers), ...objects(spec.ephemeralContainers)]) {
    defaultContainer(c);
  }
  for (const v of objects(spec.volumes)) defaultVolume(v);
}

const NOT_READY_TOLERATIONS = [
  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
  { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
];

/**
 * What admission adds to a new pod on top of spec defaulting: the service account, the default NoExecute
 * tolerations, scheduling priority and enableServiceLinks.
 */
export function admitPodSpec(spec: JsonObject): void {
  const sa = typeof spec.serviceAccountName === "string" && spec.serviceAccountName
    ? spec.serviceAccountName
    : typeof spec.serviceAccount === "string" && spec.serviceAccount ? spec.serviceAccount : "default";
  spec.serviceAccountName = sa;
  spec.serviceAccount = sa;
  setDefault(spec, "enableServiceLinks", true);
  setDefault(spec, "priority", 0);
  setDefault(spec, "preemptionPolicy", "PreemptLowerPriority");
  const tolerations = objects(spec.tolerations);
  for (const t of NOT_READY_TOLERATIONS) {
    if (!tolerations.some((x) => x.key === t.key && (x.effect === t.effect || x.effect === undefined))) tolerations.push({ ...t });
  }
  spec.tolerations = tolerations;
}

/** The pod's QoS class from its containers' requests and limits, as `status.qosClass` shows it. */
export function qosClass(spec: JsonObject): string {
  const containers = [...objects(spec.containers), ...objects(spec.initContainers)];
  let any = false, guaranteed = containers.length > 0;
  for (const c of containers) {
    const res = isPlainObject(c.resources) ? c.resources : {};
    const limits = isPlainObject(res.limits) ? res.limits : {};
    const requests = isPlainObject(res.requests) ? res.requests : limits;
    if (Object.keys(limits).length || Object.keys(requests).length) any = true;
    for (const r of ["cpu", "memory"]) {
      if (limits[r] === undefined || (requests[r] !== undefined && requests[r] !== limits[r])) guaranteed = false;
    }
  }
  return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
}
