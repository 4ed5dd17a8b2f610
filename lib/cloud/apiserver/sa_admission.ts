/**
 * The ServiceAccount admission of pod creation, as a real apiserver runs it: the pod's ServiceAccount must exist
 * (403 `error looking up service account <ns>/<name>: serviceaccount "<name>" not found` otherwise), and unless
 * `automountServiceAccountToken` is false (on the pod, else on the ServiceAccount) the pod gets the projected volume
 * `kube-api-access-<5 chars>` (a token that lives 3607 s, `kube-root-ca.crt`'s `ca.crt`, the namespace) mounted
 * read-only at `/var/run/secrets/kubernetes.io/serviceaccount` in each container that has nothing mounted there.
 *
 * @module
 */
import { isPlainObject, type JsonObject, type JsonValue, type KubeObject } from "../../kube/index.ts";
import { ROOT_CA_CONFIGMAP } from "./namespace_defaults.ts";
import { randomSuffix } from "./object_rules.ts";
import { forbidden } from "./status_error.ts";

/** Where the token, ca.crt and namespace files appear in containers. */
export const SERVICE_ACCOUNT_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
/** Name prefix of the admitted volume. */
export const API_ACCESS_VOLUME_PREFIX = "kube-api-access-";
/** The token lifetime asked for: an hour plus 7 s, so a token's age tells it came from this volume. */
export const API_ACCESS_TOKEN_SECONDS = 3607;

function objects(v: JsonValue | undefined): JsonObject[] {
  return Array.isArray(v) ? v.filter(isPlainObject) : [];
}

/** The projected volume a real apiserver adds, under `name`. */
export function apiAccessVolume(name: string): JsonObject {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: API_ACCESS_TOKEN_SECONDS, path: "token" } },
        { configMap: { items: [{ key: "ca.crt", path: "ca.crt" }], name: ROOT_CA_CONFIGMAP } },
        { downwardAPI: { items: [{ fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" }, path: "namespace" }] } },
      ],
    },
  };
}

/**
 * Admits a new pod (its spec already defaulted, `serviceAccountName` set).
 *
 * @param lookup reads a ServiceAccount of the pod's namespace
 * @throws StatusError 403 when the ServiceAccount does not exist
 */
export function admitServiceAccount(pod: KubeObject, lookup: (namespace: string, name: string) => KubeObject | undefined): void {
  const spec = pod.spec as JsonObject;
  const ns = pod.metadata?.namespace ?? "default";
  const name = String(spec.serviceAccountName ?? "default");
  // mirror pods of static pods are created by a kubelet and never get a service account volume
  if (isPlainObject(pod.metadata?.annotations) && pod.metadata.annotations["kubernetes.io/config.mirror"] !== undefined) return;
  const sa = lookup(ns, name);
  if (!sa) {
    throw forbidden(`pods "${pod.metadata?.name ?? ""}" is forbidden: error looking up service account ${ns}/${name}: serviceaccount "${name}" not found`);
  }
  const automount = typeof spec.automountServiceAccountToken === "boolean"
    ? spec.automountServiceAccountToken
    : (sa as JsonObject).automountServiceAccountToken !== false;
  if (!automount) return;
  const containers = [...objects(spec.initContainers), ...objects(spec.containers), ...objects(spec.ephemeralContainers)];
  const needing = containers.filter((c) => !objects(c.volumeMounts).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH));
  if (needing.length === 0) return;
  const volumes = objects(spec.volumes);
  let volumeName = "";
  for (let i = 0; i < 8 && (!volumeName || volumes.some((v) => v.name === volumeName)); i++) volumeName = API_ACCESS_VOLUME_PREFIX + randomSuffix();
  volumes.push(apiAccessVolume(volumeName));
  spec.volumes = volumes;
  for (const c of needing) {
    c.volumeMounts = [...objects(c.volumeMounts), { mountPath: SERVICE_ACCOUNT_MOUNT_PATH, name: volumeName, readOnly: true }];
  }
}
