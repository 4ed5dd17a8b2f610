/**
 * The shapes of the built-in kinds users write most: metadata, Pod (spec and status), Node, ConfigMap, Secret,
 * Namespace, Service, Deployment and ReplicaSet. Field lists follow the v1 API; where a nested type is long and
 * rarely written by hand (probes, volumes, affinity), it is `any` or an `open` struct rather than a partial list
 * that would refuse valid fields.
 *
 * @module
 */
import {
  any, bool, described, int32, int64, intOrString, listOf, mapOf, named, quantity, str, struct, time, type StructSchema, type TypeSchema,
} from "./type_schema.ts";
import { CRD_SCHEMA } from "./crd_schemas.ts";

const strings = mapOf(str(), "string map");
const resourceList = (d: string) => mapOf(quantity(), d, "v1.ResourceList");

const OWNER_REFERENCE = struct("OwnerReference", {
  apiVersion: str("API version of the owner"), kind: str("kind of the owner"), name: str("name of the owner"),
  uid: named("types.UID", "uid of the owner"), controller: bool("the owner is the managing controller"),
  blockOwnerDeletion: bool("foreground deletion of the owner waits for this object"),
}, { description: "an object this one depends on; deleting the owner deletes this object", required: ["apiVersion", "kind", "name", "uid"] });

const MANAGED_FIELDS_ENTRY = struct("ManagedFieldsEntry", {
  manager: str("the field manager"), operation: named("v1.ManagedFieldsOperationType", "Apply or Update"),
  apiVersion: str("version of the fields"), time: time("when the fields were last changed"), fieldsType: str("FieldsV1"),
  fieldsV1: any("the set of fields owned", "v1.FieldsV1"), subresource: str("the subresource written"),
}, { description: "fields owned by one manager" });

/** metav1.ObjectMeta. */
export const OBJECT_META = struct("ObjectMeta", {
  name: str("unique name within the namespace"),
  generateName: str("prefix of a server-generated name, used when name is empty"),
  namespace: str("namespace of the object; empty for cluster-scoped kinds"),
  selfLink: str("deprecated; not set"),
  uid: named("types.UID", "unique id set by the server"),
  resourceVersion: str("opaque version for optimistic concurrency and watches"),
  generation: int64("sequence number of the desired state"),
  creationTimestamp: time("when the object was created"),
  deletionTimestamp: time("when the object will be (or was asked to be) deleted"),
  deletionGracePeriodSeconds: int64("seconds allowed for graceful deletion"),
  labels: described(strings, "key/value pairs for selection"),
  annotations: described(strings, "key/value pairs for tools, not for selection"),
  ownerReferences: listOf(OWNER_REFERENCE, "objects this one depends on"),
  finalizers: listOf(str(), "what must happen before the object is removed"),
  managedFields: listOf(MANAGED_FIELDS_ENTRY, "which manager owns which fields"),
}, { description: "standard object metadata" });

const LABEL_SELECTOR = struct("LabelSelector", {
  matchLabels: described(strings, "labels that must all match"),
  matchExpressions: listOf(struct("LabelSelectorRequirement", {
    key: str("label key"), operator: named("v1.LabelSelectorOperator", "In, NotIn, Exists or DoesNotExist"), values: listOf(str(), "values"),
  }, { required: ["key", "operator"] }), "set-based requirements"),
}, { description: "a label query" });

const ENV_VAR = struct("EnvVar", {
  name: str("variable name"), value: str("variable value"), valueFrom: any("source of the value", "*v1.EnvVarSource"),
}, { description: "an environment variable", required: ["name"] });

const CONTAINER_PORT = struct("ContainerPort", {
  name: str("port name"), hostPort: int32("port on the host"), containerPort: int32("port in the container"),
  protocol: named("v1.Protocol", "TCP, UDP or SCTP"), hostIP: str("host address to bind"),
}, { description: "a network port of a container", required: ["containerPort"] });

const RESOURCES = struct("ResourceRequirements", {
  limits: resourceList("most of each resource the container may use"),
  requests: resourceList("least of each resource the container needs"),
  claims: any("dynamically allocated resources", "[]v1.ResourceClaim"),
}, { description: "compute resources of a container" });

const VOLUME_MOUNT = struct("VolumeMount", {
  name: str("volume name"), readOnly: bool("mounted read-only"), mountPath: str("path in the container"), subPath: str("sub-path of the volume"),
  mountPropagation: named("*v1.MountPropagationMode", "propagation mode"), subPathExpr: str("sub-path with variables"),
}, { description: "a volume mounted in a container", required: ["name", "mountPath"] });

const EXEC_ACTION = struct("ExecAction", { command: listOf(str(), "command run in the container") }, { description: "a command run in the container" });
const HTTP_GET_ACTION = struct("HTTPGetAction", {
  path: str("path requested"), port: intOrString("port number or name"), host: str("host to connect to; the pod IP by default"),
  scheme: named("v1.URIScheme", "HTTP or HTTPS"),
  httpHeaders: listOf(struct("HTTPHeader", { name: str("header name"), value: str("header value") }, { required: ["name", "value"] }), "request headers"),
}, { description: "an HTTP GET request", required: ["port"] });
const TCP_SOCKET_ACTION = struct("TCPSocketAction", { port: intOrString("port number or name"), host: str("host to connect to") }, {
  description: "a TCP connection", required: ["port"],
});

const PROBE = struct("Probe", {
  exec: EXEC_ACTION, httpGet: HTTP_GET_ACTION, tcpSocket: TCP_SOCKET_ACTION,
  grpc: struct("GRPCAction", { port: int32("port number"), service: named("*string", "service name") }, { description: "a gRPC health check", required: ["port"] }),
  initialDelaySeconds: int32("seconds after start before the first probe"), timeoutSeconds: int32("seconds before a probe times out"),
  periodSeconds: int32("seconds between probes"), successThreshold: int32("successes in a row to pass after a failure"),
  failureThreshold: int32("failures in a row to fail"), terminationGracePeriodSeconds: int64("grace period when the probe kills the container"),
}, { description: "a check of a container's health" });

const CONTAINER = struct("Container", {
  name: str("container name, unique in the pod"),
  image: str("image reference"),
  command: listOf(str(), "entrypoint"), args: listOf(str(), "arguments"), workingDir: str("working directory"),
  ports: listOf(CONTAINER_PORT, "ports exposed"), envFrom: any("sources of environment variables", "[]v1.EnvFromSource"),
  env: listOf(ENV_VAR, "environment variables"), resources: RESOURCES, resizePolicy: any("resize policy", "[]v1.ContainerResizePolicy"),
  restartPolicy: named("*v1.ContainerRestartPolicy", "restart policy of an init container"),
  volumeMounts: listOf(VOLUME_MOUNT, "volumes mounted"), volumeDevices: any("block devices", "[]v1.VolumeDevice"),
  livenessProbe: PROBE, readinessProbe: PROBE, startupProbe: PROBE,
  lifecycle: any("lifecycle hooks", "*v1.Lifecycle"), terminationMessagePath: str("file of the termination message"),
  terminationMessagePolicy: named("v1.TerminationMessagePolicy", "File or FallbackToLogsOnError"),
  imagePullPolicy: named("v1.PullPolicy", "Always, Never or IfNotPresent"), securityContext: any("security options", "*v1.SecurityContext"),
  stdin: bool("allocate stdin"), stdinOnce: bool("close stdin after the first attach"), tty: bool("allocate a TTY"),
}, { description: "a container of a pod", required: ["name"] });

const TOLERATION = struct("Toleration", {
  key: str("taint key"), operator: named("v1.TolerationOperator", "Exists or Equal"), value: str("taint value"),
  effect: named("v1.TaintEffect", "NoSchedule, PreferNoSchedule or NoExecute"), tolerationSeconds: int64("how long a NoExecute taint is tolerated"),
}, { description: "lets a pod run on a node with a matching taint" });

/** v1.PodSpec. */
export const POD_SPEC = struct("PodSpec", {
  volumes: listOf(any("a volume", "v1.Volume"), "volumes the containers may mount"),
  initContainers: listOf(CONTAINER, "containers run in order before the app containers"),
  containers: listOf(CONTAINER, "the app containers"),
  ephemeralContainers: any("debug containers", "[]v1.EphemeralContainer"),
  restartPolicy: named("v1.RestartPolicy", "Always, OnFailure or Never"),
  terminationGracePeriodSeconds: int64("seconds between SIGTERM and SIGKILL"),
  activeDeadlineSeconds: int64("seconds the pod may run"),
  dnsPolicy: named("v1.DNSPolicy", "DNS policy"), nodeSelector: described(strings, "labels a node must have"),
  serviceAccountName: str("service account the pod runs as"), serviceAccount: str("deprecated alias of serviceAccountName"),
  automountServiceAccountToken: bool("mount the service account token"), nodeName: str("node the pod is bound to"),
  hostNetwork: bool("use the host's network"), hostPID: bool("use the host's PID namespace"), hostIPC: bool("use the host's IPC namespace"),
  shareProcessNamespace: bool("one PID namespace for all containers"), securityContext: any("pod security options", "*v1.PodSecurityContext"),
  imagePullSecrets: listOf(struct("LocalObjectReference", { name: str("name of the object") }), "secrets for pulling images"),
  hostname: str("hostname of the pod"), subdomain: str("subdomain of the pod"), affinity: any("scheduling affinity", "*v1.Affinity"),
  schedulerName: str("scheduler that places the pod"), tolerations: listOf(TOLERATION, "taints the pod tolerates"),
  hostAliases: any("extra /etc/hosts entries", "[]v1.HostAlias"), priorityClassName: str("priority class"), priority: int32("priority"),
  dnsConfig: any("DNS options", "*v1.PodDNSConfig"), readinessGates: any("extra readiness conditions", "[]v1.PodReadinessGate"),
  runtimeClassName: str("runtime class"), enableServiceLinks: bool("inject service environment variables"),
  preemptionPolicy: named("*v1.PreemptionPolicy", "preemption policy"), overhead: resourceList("resources of the pod sandbox"),
  topologySpreadConstraints: any("how pods spread over topology domains", "[]v1.TopologySpreadConstraint"),
  setHostnameAsFQDN: bool("hostname is the FQDN"), os: any("operating system of the pod", "*v1.PodOS"), hostUsers: bool("use the host's user namespace"),
  schedulingGates: any("gates that hold scheduling", "[]v1.PodSchedulingGate"), resourceClaims: any("resource claims", "[]v1.PodResourceClaim"),
}, { description: "the desired state of a pod", required: ["containers"] });

const POD_CONDITION = struct("PodCondition", {
  type: named("v1.PodConditionType", "condition type"), status: named("v1.ConditionStatus", "True, False or Unknown"),
  lastProbeTime: time("last probe"), lastTransitionTime: time("last change of status"), reason: str("machine-readable reason"), message: str("human-readable message"),
}, { description: "one condition of a pod", required: ["type", "status"] });

const CONTAINER_STATUS = struct("ContainerStatus", {
  name: str("container name"), state: any("current state", "v1.ContainerState"), lastState: any("previous state", "v1.ContainerState"),
  ready: bool("passed its readiness probe"), restartCount: int32("restarts so far"), image: str("image running"), imageID: str("image id"),
  containerID: str("runtime id"), started: bool("started and passed its startup probe"),
  allocatedResources: resourceList("resources allocated"), resources: any("resources configured", "*v1.ResourceRequirements"),
}, { description: "the state of one container", required: ["name", "ready", "restartCount", "image", "imageID"] });

const POD_IP = struct("PodIP", { ip: str("an address") });

const POD_STATUS = struct("PodStatus", {
  phase: named("v1.PodPhase", "Pending, Running, Succeeded, Failed or Unknown"), conditions: listOf(POD_CONDITION, "conditions"),
  message: str("why the pod is in this state"), reason: str("machine-readable reason"), nominatedNodeName: str("node of a preemption"),
  hostIP: str("address of the node"), hostIPs: listOf(struct("HostIP", { ip: str("an address") }), "addresses of the node"),
  podIP: str("address of the pod"), podIPs: listOf(POD_IP, "addresses of the pod"), startTime: time("when the node accepted the pod"),
  initContainerStatuses: listOf(CONTAINER_STATUS, "init container states"), containerStatuses: listOf(CONTAINER_STATUS, "container states"),
  qosClass: named("v1.PodQOSClass", "quality of service class"), ephemeralContainerStatuses: listOf(CONTAINER_STATUS, "debug container states"),
  resize: named("v1.PodResizeStatus", "state of a resize"), resourceClaimStatuses: any("resource claim states", "[]v1.PodResourceClaimStatus"),
}, { description: "the observed state of a pod" });

const POD_TEMPLATE = struct("PodTemplateSpec", { metadata: OBJECT_META, spec: POD_SPEC }, { description: "pods made from this template" });

const NODE_CONDITION = struct("NodeCondition", {
  type: named("v1.NodeConditionType", "condition type"), status: named("v1.ConditionStatus", "True, False or Unknown"),
  lastHeartbeatTime: time("last heartbeat"), lastTransitionTime: time("last change of status"), reason: str("machine-readable reason"), message: str("human-readable message"),
}, { description: "one condition of a node", required: ["type", "status"] });

const NODE_ADDRESS = struct("NodeAddress", {
  type: named("v1.NodeAddressType", "Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS"), address: str("the address"),
}, { description: "an address of a node", required: ["type", "address"] });

const TAINT = struct("Taint", {
  key: str("taint key"), value: str("taint value"), effect: named("v1.TaintEffect", "NoSchedule, PreferNoSchedule or NoExecute"),
  timeAdded: time("when a NoExecute taint was added"),
}, { description: "keeps pods that do not tolerate it off the node", required: ["key", "effect"] });

const NODE_SYSTEM_INFO = struct("NodeSystemInfo", {
  machineID: str("machine id"), systemUUID: str("system UUID"), bootID: str("boot id"), kernelVersion: str("kernel version"), osImage: str("OS image"),
  containerRuntimeVersion: str("container runtime version"), kubeletVersion: str("node agent version"), kubeProxyVersion: str("proxy version"),
  operatingSystem: str("operating system"), architecture: str("CPU architecture"),
}, { description: "identity of the node's system" });

const NODE_SPEC = struct("NodeSpec", {
  podCIDR: str("pod address range"), podCIDRs: listOf(str(), "pod address ranges"), providerID: str("id at the cloud provider"),
  unschedulable: bool("no new pods are scheduled here"), taints: listOf(TAINT, "taints"), configSource: any("deprecated", "*v1.NodeConfigSource"),
  externalID: str("deprecated"),
}, { description: "the desired state of a node" });

const NODE_STATUS = struct("NodeStatus", {
  capacity: resourceList("total resources of the node"), allocatable: resourceList("resources available to pods"),
  phase: named("v1.NodePhase", "deprecated"), conditions: listOf(NODE_CONDITION, "conditions (Ready, pressures)"),
  addresses: listOf(NODE_ADDRESS, "addresses of the node"),
  daemonEndpoints: struct("NodeDaemonEndpoints", { kubeletEndpoint: struct("DaemonEndpoint", { Port: int32("port") }) }),
  nodeInfo: NODE_SYSTEM_INFO, images: any("images on the node", "[]v1.ContainerImage"), volumesInUse: listOf(str(), "volumes in use"),
  volumesAttached: any("volumes attached", "[]v1.AttachedVolume"), config: any("config status", "*v1.NodeConfigStatus"),
}, { description: "the observed state of a node" });

const SERVICE_PORT = struct("ServicePort", {
  name: str("port name"), protocol: named("v1.Protocol", "TCP, UDP or SCTP"), appProtocol: str("application protocol"),
  port: int32("port of the service"), targetPort: intOrString("port (number or name) on the pods"), nodePort: int32("port on every node"),
}, { description: "a port of a service", required: ["port"] });

const SERVICE_SPEC = struct("ServiceSpec", {
  ports: listOf(SERVICE_PORT, "ports"), selector: described(strings, "pods that back the service"), clusterIP: str("virtual address"),
  clusterIPs: listOf(str(), "virtual addresses"), type: named("v1.ServiceType", "ClusterIP, NodePort, LoadBalancer or ExternalName"),
  externalIPs: listOf(str(), "external addresses"), sessionAffinity: named("v1.ServiceAffinity", "ClientIP or None"),
  loadBalancerIP: str("deprecated"), loadBalancerSourceRanges: listOf(str(), "allowed client ranges"), externalName: str("DNS name for ExternalName"),
  externalTrafficPolicy: named("v1.ServiceExternalTrafficPolicy", "Cluster or Local"), healthCheckNodePort: int32("health check port"),
  publishNotReadyAddresses: bool("publish pods that are not ready"), sessionAffinityConfig: any("session affinity options", "*v1.SessionAffinityConfig"),
  ipFamilies: listOf(named("v1.IPFamily"), "IP families"), ipFamilyPolicy: named("*v1.IPFamilyPolicy", "IP family policy"),
  allocateLoadBalancerNodePorts: bool("allocate node ports for load balancers"), loadBalancerClass: str("load balancer class"),
  internalTrafficPolicy: named("*v1.ServiceInternalTrafficPolicy", "Cluster or Local"),
}, { description: "the desired state of a service" });

/** Top-level fields of a kind, with apiVersion, kind and metadata. */
function kind(name: string, fields: Record<string, TypeSchema>, description: string): StructSchema {
  return struct(name, {
    apiVersion: str("versioned schema of this object"), kind: str("the kind of this object"), metadata: OBJECT_META, ...fields,
  }, { description });
}

const DEPLOYMENT_SPEC = struct("DeploymentSpec", {
  replicas: int32("desired number of pods"), selector: LABEL_SELECTOR, template: POD_TEMPLATE,
  strategy: struct("DeploymentStrategy", {
    type: named("v1.DeploymentStrategyType", "Recreate or RollingUpdate"),
    rollingUpdate: struct("RollingUpdateDeployment", { maxUnavailable: intOrString("pods that may be unavailable"), maxSurge: intOrString("pods above replicas") }),
  }), minReadySeconds: int32("seconds a pod must be ready to count as available"), revisionHistoryLimit: int32("old ReplicaSets kept"),
  paused: bool("rollouts are paused"), progressDeadlineSeconds: int32("seconds before a rollout counts as failed"),
}, { description: "the desired state of a deployment", required: ["selector", "template"] });

/** The kinds described, by `group/Kind` ("" group for core). */
export const KIND_SCHEMAS: Readonly<Record<string, StructSchema>> = {
  "/Pod": kind("Pod", { spec: POD_SPEC, status: POD_STATUS }, "a group of containers run together on one node"),
  "/Node": kind("Node", { spec: NODE_SPEC, status: NODE_STATUS }, "a host that runs pods"),
  "/ConfigMap": kind("ConfigMap", {
    data: described(strings, "text values"), binaryData: mapOf(str(), "binary values (base64)", "map[string][]uint8"), immutable: bool("data cannot change"),
  }, "configuration data for pods"),
  "/Secret": kind("Secret", {
    data: mapOf(str(), "secret values (base64)", "map[string][]uint8"), stringData: described(strings, "write-only text values, folded into data"),
    type: named("v1.SecretType", "how the data is used"), immutable: bool("data cannot change"),
  }, "secret data for pods"),
  "/Namespace": kind("Namespace", {
    spec: struct("NamespaceSpec", { finalizers: listOf(named("v1.FinalizerName"), "what must finish before the namespace is removed") }),
    status: struct("NamespaceStatus", { phase: named("v1.NamespacePhase", "Active or Terminating"), conditions: any("conditions", "[]v1.NamespaceCondition") }),
  }, "a scope for names"),
  "/Service": kind("Service", { spec: SERVICE_SPEC, status: any("observed state", "v1.ServiceStatus") }, "a stable address for a set of pods"),
  "apps/Deployment": kind("Deployment", { spec: DEPLOYMENT_SPEC, status: any("observed state", "v1.DeploymentStatus") }, "declarative updates of pods through ReplicaSets"),
  "apps/ReplicaSet": kind("ReplicaSet", {
    spec: struct("ReplicaSetSpec", {
      replicas: int32("desired number of pods"), minReadySeconds: int32("seconds a pod must be ready to count as available"),
      selector: LABEL_SELECTOR, template: POD_TEMPLATE,
    }, { required: ["selector"] }),
    status: any("observed state", "v1.ReplicaSetStatus"),
  }, "keeps a number of identical pods running"),
  "apiextensions.k8s.io/CustomResourceDefinition": CRD_SCHEMA,
};
