/** Which container of which pod a log or exec request is for, and the errors kubectl users know for it. */
import { getPath, isPlainObject, type KubeObject } from "../../../kube/index.ts";
import { badRequest, StatusError, serviceUnavailable } from "../status_error.ts";
import type { PodTarget } from "../types.ts";

/**
 * Resolves the container (the `container` parameter, else the default-container annotation, else the first).
 *
 * @param what "logs" or "exec", for messages
 * @throws StatusError 400 for an unknown container or a pod not on a node
 */
export function podTarget(pod: KubeObject, container: string | null): PodTarget {
  const meta = pod.metadata!;
  const containers = [
    ...(Array.isArray(getPath(pod, "spec.containers")) ? (getPath(pod, "spec.containers") as unknown[]) : []),
    ...(Array.isArray(getPath(pod, "spec.initContainers")) ? (getPath(pod, "spec.initContainers") as unknown[]) : []),
  ].filter(isPlainObject).map((c) => String(c.name));
  const fallback = meta.annotations?.["kubectl.kubernetes.io/default-container"] ?? containers[0];
  const name = container || fallback;
  if (!name || !containers.includes(name)) {
    throw badRequest(`container ${name ?? ""} is not valid for pod ${meta.name}`);
  }
  const nodeName = getPath(pod, "spec.nodeName");
  if (typeof nodeName !== "string" || !nodeName) throw badRequest(`pod ${meta.name} does not have a host assigned`);
  return { namespace: meta.namespace ?? "", pod: meta.name!, container: name, nodeName, uid: String(meta.uid ?? "") };
}

/** The error for a pod whose node no edge link serves. */
export function notConnected(what: "logs" | "exec", nodeName: string): StatusError {
  const subject = what === "logs" ? "container logs are" : "container exec is";
  return serviceUnavailable(`${subject} not available: node "${nodeName}" is not connected`);
}

/** Turns an error of a PodStreams backend into a Status error (its numeric `status`, else 503). */
export function backendError(err: unknown): StatusError {
  if (err instanceof StatusError) return err;
  const status = (err as { status?: unknown })?.status;
  const message = (err as Error)?.message ?? String(err);
  if (typeof status === "number" && status >= 400 && status < 600) {
    return new StatusError(status, status === 404 ? "NotFound" : status === 400 ? "BadRequest" : "InternalError", message, undefined, { cause: err });
  }
  return new StatusError(503, "ServiceUnavailable", message, undefined, { cause: err });
}
