/**
 * Sample objects for API server tests: an edge node with its Ready condition and a pod, as the edge would report
 * them.
 *
 * @module
 */

/** A Ready edge node as edge_core registers it. */
export function readyNode(name: string, ip = "10.0.0.5"): object {
  const at = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  return {
    apiVersion: "v1", kind: "Node",
    metadata: { name, labels: { "node-role.kubernetes.io/edge": "", "kubernetes.io/hostname": name } },
    status: {
      conditions: [{ type: "Ready", status: "True", reason: "EdgeReady", message: "edge is posting ready status", lastHeartbeatTime: at, lastTransitionTime: at }],
      addresses: [{ type: "InternalIP", address: ip }, { type: "Hostname", address: name }],
      nodeInfo: {
        kubeletVersion: "v1.32.4-kubeedge-ts", osImage: "Debian GNU/Linux 12", kernelVersion: "6.1.0", containerRuntimeVersion: "docker://24.0.0",
        architecture: "amd64", operatingSystem: "linux", bootID: "", machineID: "", systemUUID: "", kubeProxyVersion: "",
      },
      capacity: { cpu: "2", memory: "4Gi", pods: "110" },
      allocatable: { cpu: "2", memory: "4Gi", pods: "110" },
    },
  };
}

/** A pod with one container; `nodeName` binds it. */
export function simplePod(name: string, options: { labels?: Record<string, string>; nodeName?: string; image?: string } = {}): object {
  const spec: Record<string, unknown> = { containers: [{ name: "main", image: options.image ?? "busybox:1.36" }] };
  if (options.nodeName) spec.nodeName = options.nodeName;
  return { apiVersion: "v1", kind: "Pod", metadata: { name, labels: options.labels ?? {} }, spec };
}

/** The status an edge reports for a running pod. */
export function runningStatus(ip: string, hostIP = "10.0.0.5"): object {
  const at = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  return {
    status: {
      phase: "Running", podIP: ip, hostIP, startTime: at,
      conditions: [{ type: "Ready", status: "True", lastTransitionTime: at }],
      containerStatuses: [{ name: "main", ready: true, restartCount: 0, image: "busybox:1.36", imageID: "", started: true, state: { running: { startedAt: at } } }],
    },
  };
}
