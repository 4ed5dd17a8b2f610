/**
 * The `default/kubernetes` Service every cluster has: cluster IP 10.96.0.1, port 443 (`https`) to the API server's
 * own port. Pods find the API through it (KUBERNETES_SERVICE_HOST/PORT, set by edged from this object), and clients
 * that look for it find it, as on a real cluster. Kept current at each start: the port may change between runs.
 *
 * @module
 */
import type { Logger } from "../../log/index.ts";
import type { JsonObject, KubeObject } from "../../kube/index.ts";
import type { ObjectService } from "./object_service.ts";
import { KUBERNETES_SERVICE_IP } from "./service_addresses.ts";

/** The Service's desired spec and labels, for an API server listening on `port`. */
export function kubernetesService(port: number): KubeObject {
  return {
    apiVersion: "v1", kind: "Service",
    metadata: { name: "kubernetes", namespace: "default", labels: { component: "apiserver", provider: "kubernetes" } },
    spec: {
      type: "ClusterIP", clusterIP: KUBERNETES_SERVICE_IP, sessionAffinity: "None",
      ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: port }],
    },
  };
}

/**
 * Creates `default/kubernetes`, or points its port at `port` when it exists with another.
 *
 * @throws StatusError when the store refuses the write (the caller names the start-up step)
 */
export async function ensureKubernetesService(service: ObjectService, port: number, log: Logger): Promise<void> {
  const info = service.registry.lookup("", "v1", "services")!;
  const want = kubernetesService(port);
  const current = service.storage.get("services", "default", "kubernetes");
  if (!current) {
    await service.create(info, "default", want, { updateManager: "kube-apiserver" });
    log.info("service default/kubernetes created", { targetPort: port });
    return;
  }
  const ports = (current.object.spec as { ports?: { targetPort?: unknown }[] } | undefined)?.ports;
  if (ports?.length === 1 && ports[0]!.targetPort === port) return;
  const next = structuredClone(current.object);
  next.spec = { ...(next.spec as JsonObject), ports: (want.spec as JsonObject).ports! };
  await service.commitUpdate(info, current, next, { subresource: "internal" });
  log.info("service default/kubernetes now targets the API server's port", { targetPort: port });
}
