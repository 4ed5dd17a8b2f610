/**
 * The shapes of `Node.status` and `Pod.status` a node may report, for checking edge reports before they are stored:
 * what a node sends is untrusted. Field names and types follow the core/v1 API; every string and list is bounded so a
 * report costs at most what the limits here allow. Unknown fields are refused.
 *
 * @module
 */
import { any, arr, bool, int, num, obj, oneOf, opt, rec, type Shape, str, time } from "./shape.ts";

/** Longest free text (condition and state messages) accepted. @default 8192 */
const TEXT = 8192;
/** Longest name-like string (types, reasons, addresses, image references). @default 1024 */
const NAME = 1024;

const NODE_INFO_STRINGS = [
  "machineID", "systemUUID", "bootID", "kernelVersion", "osImage", "containerRuntimeVersion", "kubeletVersion", "kubeProxyVersion",
  "operatingSystem", "architecture",
];

const condStatus = oneOf("True", "False", "Unknown");
const quantities = rec(str(63), str(63, /^[+-]?[0-9.]+([eE][+-]?[0-9]+|[a-zA-Z]{0,2})$/), 64);

const nodeCondition = obj({
  type: str(316), status: condStatus, reason: opt(str(NAME)), message: opt(str(TEXT)),
  lastHeartbeatTime: opt(time), lastTransitionTime: opt(time),
}, { required: ["type", "status"] });

/** `Node.status` as a node reports it. */
export const nodeStatusShape: Shape = obj({
  capacity: opt(quantities),
  allocatable: opt(quantities),
  phase: opt(oneOf("Pending", "Running", "Terminated")),
  conditions: opt(arr(nodeCondition, 32)),
  addresses: opt(arr(obj({ type: str(64), address: str(NAME) }, { required: ["type", "address"] }), 32)),
  daemonEndpoints: opt(obj({ kubeletEndpoint: opt(obj({ Port: int(0, 65535) })) })),
  // newer kubelets add fields (nodeInfo.swap, runtimeHandlers, features): kept opaque, bounded by the frame size
  nodeInfo: opt(obj(Object.fromEntries(NODE_INFO_STRINGS.map((k) => [k, opt(str(NAME))])), { open: true })),
  runtimeHandlers: opt(any),
  features: opt(any),
  images: opt(arr(obj({ names: opt(arr(str(NAME), 16)), sizeBytes: opt(num) }), 500)),
  volumesInUse: opt(arr(str(NAME), 256)),
  volumesAttached: opt(arr(obj({ name: str(NAME), devicePath: str(NAME) }), 256)),
  config: opt(any),
});

const containerState = obj({
  waiting: opt(obj({ reason: opt(str(NAME)), message: opt(str(TEXT)) })),
  running: opt(obj({ startedAt: opt(time) })),
  terminated: opt(obj({
    exitCode: int(-(2 ** 31), 2 ** 31 - 1), signal: opt(int(0, 255)), reason: opt(str(NAME)), message: opt(str(TEXT)),
    startedAt: opt(time), finishedAt: opt(time), containerID: opt(str(NAME)),
  }, { required: ["exitCode"] })),
});

const containerStatus = obj({
  name: str(253), state: opt(containerState), lastState: opt(containerState), ready: bool, started: opt(bool),
  restartCount: int(0, 2 ** 31 - 1), image: str(NAME), imageID: str(NAME), containerID: opt(str(NAME)),
  allocatedResources: opt(quantities), resources: opt(any), user: opt(any), volumeMounts: opt(any), stopSignal: opt(str(64)),
  allocatedResourcesStatus: opt(any),
}, { required: ["name", "ready", "restartCount", "image", "imageID"] });

const podCondition = obj({
  type: str(316), status: condStatus, reason: opt(str(NAME)), message: opt(str(TEXT)),
  lastProbeTime: opt(time), lastTransitionTime: opt(time), observedGeneration: opt(int(0, Number.MAX_SAFE_INTEGER)),
}, { required: ["type", "status"] });

const ips = opt(arr(obj({ ip: str(64) }, { required: ["ip"] }), 8));

/** `Pod.status` as a node reports it. */
export const podStatusShape: Shape = obj({
  phase: opt(oneOf("Pending", "Running", "Succeeded", "Failed", "Unknown")),
  conditions: opt(arr(podCondition, 32)),
  message: opt(str(TEXT)), reason: opt(str(NAME)),
  hostIP: opt(str(64)), hostIPs: ips, podIP: opt(str(64)), podIPs: ips,
  startTime: opt(time),
  initContainerStatuses: opt(arr(containerStatus, 64)),
  containerStatuses: opt(arr(containerStatus, 64)),
  ephemeralContainerStatuses: opt(arr(containerStatus, 64)),
  qosClass: opt(oneOf("Guaranteed", "Burstable", "BestEffort")),
  nominatedNodeName: opt(str(253)),
  resize: opt(str(64)),
  observedGeneration: opt(int(0, Number.MAX_SAFE_INTEGER)),
  resourceClaimStatuses: opt(any),
});
